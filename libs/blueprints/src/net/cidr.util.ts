export interface Cidr {
  family: 4 | 6;
  // Network address as an integer (BigInt keeps IPv6 exact).
  address: bigint;
  prefix: number;
  text: string;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; message: string };

const IPV4_PART = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;

/** Parses an IPv4 or IPv6 CIDR; refuses host bits, suggesting the network address. */
export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf('/');
  if (slash < 0)
    return { ok: false, message: `"${text}" is not a CIDR (expected address/prefix, e.g. 10.0.0.0/8)` };
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = addressText.includes(':') ? 6 : 4;
  const address = family === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  if (address === undefined)
    return { ok: false, message: `"${addressText}" is not a valid IPv${family} address` };
  const bits = family === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
    return { ok: false, message: `prefix length must be 0..${bits}` };
  }
  const prefix = Number(prefixText);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((address & hostMask) !== 0n) {
    // An address with host bits set is ambiguous for a firewall rule: say what was meant.
    const network = address & ~hostMask;
    const suggestion = `${family === 4 ? formatIpv4(network) : 'the network address'}/${prefix}`;
    return { ok: false, message: `"${text}" has host bits set; did you mean ${suggestion}?` };
  }
  return { ok: true, cidr: { family, address, prefix, text } };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => IPV4_PART.test(part))) return undefined;
  return parts.reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

function parseIpv6(text: string): bigint | undefined {
  let hex = text;
  // A dotted IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    hex = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return undefined;
  const left = hexGroups(halves[0]);
  const right = hexGroups(halves[1]);
  if (left === undefined || right === undefined) return undefined;
  const given = left.length + right.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return undefined;
  const zeros = Array<bigint>(8 - given).fill(0n);
  return [...left, ...zeros, ...right].reduce((acc, group) => (acc << 16n) | group, 0n);
}

function hexGroups(part: string | undefined): bigint[] | undefined {
  if (part === undefined || part === '') return [];
  const groups = part.split(':');
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => BigInt(`0x${g}`));
}
