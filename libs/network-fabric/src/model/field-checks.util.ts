import { parseIPv4 } from '../addressing/ip.util.js';
import { parseSubnet } from '../addressing/subnet.util.js';
import { nameIssue } from './names.util.js';

// Reusable single-value rules; each answers the rule broken, or undefined.

export function ipv4Issue(value: string): string | undefined {
  return parseIPv4(value) === undefined ? `"${value}" is not an IPv4 address` : undefined;
}

/** A rule's address: an IPv4 address or a CIDR block. */
export function ipOrCidrIssue(value: string): string | undefined {
  if (parseIPv4(value) !== undefined) return undefined;
  const [address, len, ...rest] = value.split('/');
  const prefix = Number(len);
  if (rest.length > 0 || address === undefined || parseIPv4(address) === undefined) {
    return `"${value}" is not an IPv4 address or A.B.C.D/len`;
  }
  return Number.isInteger(prefix) && prefix >= 0 && prefix <= 32 && /^\d+$/.test(len ?? '')
    ? undefined
    : `"${value}" has a prefix length outside 0..32`;
}

export function protocolIssue(value: string): string | undefined {
  if (['tcp', 'udp', 'icmp'].includes(value)) return undefined;
  if (/^\d{1,3}$/.test(value) && Number(value) <= 255) return undefined;
  return `"${value}" is not tcp, udp, icmp or a protocol number 0..255`;
}

// `10 Gbps`, `5Mb`, `4g`, `20mbps`: a positive number and a unit (k, m or g, optionally b/bps).
const BANDWIDTH = /^(\d+(?:\.\d+)?)\s*([kmg])(?:b|bps)?$/i;

export function bandwidthIssue(value: string): string | undefined {
  const m = BANDWIDTH.exec(value.trim());
  if (!m) return `"${value}" is not a bandwidth like "10 Gbps", "5Mb" or "4g" (number and unit k/m/g)`;
  return Number(m[1]) > 0 ? undefined : `bandwidth must be greater than 0`;
}

/** A service LB selector `key=value`. */
export function selectorIssue(value: string): string | undefined {
  const m = /^([^=\s]+)=([^=\s]+)$/.exec(value);
  return m ? undefined : `"${value}" is not a selector key=value`;
}

/** A service LB port `svcPort:provPort:TCP|UDP`. */
export function servicePortIssue(value: string): string | undefined {
  const m = /^(\d{1,5}):(\d{1,5}):(TCP|UDP)$/i.exec(value);
  if (!m) return `"${value}" is not svcPort:provPort:TCP|UDP`;
  const ports = [Number(m[1]), Number(m[2])];
  return ports.every((p) => p >= 1 && p <= 65535) ? undefined : `"${value}" has a port outside 1..65535`;
}

export function ipv4SubnetIssue(value: string): string | undefined {
  const parsed = parseSubnet(value);
  if (!parsed.ok) return parsed.message;
  return parsed.value.family === 4 ? undefined : `"${value}" is not an IPv4 subnet (use ipv6Subnet)`;
}

export function ipv6SubnetIssue(value: string): string | undefined {
  const parsed = parseSubnet(value);
  if (!parsed.ok) return parsed.message;
  return parsed.value.family === 6 ? undefined : `"${value}" is not an IPv6 subnet`;
}

/** A name that may also be a rule id like `1`. */
export function ruleIdIssue(value: string): string | undefined {
  return nameIssue(value);
}

// Contiv's hostname rule: dot-separated labels of letters, digits and inner "-", at most 256 characters.
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

export function hostnameIssue(value: string): string | undefined {
  if (value.length > 256) return 'must be at most 256 characters';
  return value.split('.').every((l) => HOST_LABEL.test(l))
    ? undefined
    : `"${value}" is not a host name (labels of letters, digits and inner "-", joined by dots)`;
}

/** A BGP router address: an IPv4 address with a prefix length 1..31, as Contiv requires. */
export function routerIpIssue(value: string): string | undefined {
  const [address, len, ...rest] = value.split('/');
  const prefix = Number(len);
  const ok =
    rest.length === 0 &&
    parseIPv4(address ?? '') !== undefined &&
    /^\d{1,2}$/.test(len ?? '') &&
    prefix >= 1 &&
    prefix <= 31;
  return ok ? undefined : `"${value}" is not A.B.C.D/len with len 1..31`;
}

/** An AS number (asplain), 1..4294967295. */
export function asNumberIssue(value: string): string | undefined {
  const ok = /^\d{1,10}$/.test(value) && Number(value) >= 1 && Number(value) <= 4294967295;
  return ok ? undefined : `"${value}" is not an AS number 1..4294967295`;
}
