import { readFileSync } from 'node:fs';
import { CniCode, CniError } from './cni-error.js';
import type { CniResult } from './cni-result.js';

export const SUPPORTED_VERSIONS = ['1.0.0', '1.1.0'] as const;

/** An attachment the runtime still holds (GC's `cni.dev/valid-attachments`). */
export interface AttachmentId {
  containerID: string;
  ifname: string;
}

/** The plugin configuration a runtime writes on standard input, checked and with defaults. */
export interface PluginConfig {
  cniVersion: string;
  /** The network configuration's name: attachments' state is kept per name. */
  name: string;
  /** Switchyard's base URL, e.g. `http://switchyard:3000`. */
  url: string;
  /** An API token of an operator (or admin) of the tenant. */
  token: string;
  tenant: string;
  network: string;
  /** The endpoint group; '' attaches to the network itself. */
  group: string;
  /** Where attachments are recorded on this host (default /var/lib/switchyard-cni). */
  stateDir: string;
  /** The first letters of every link this plugin makes (default `sy`, as the host agent's). */
  namePrefix: string;
  /** Recorded as the endpoint's host in the fabric (default: the host name). */
  hostId: string;
  mtu?: number;
  /**
   * This host's Switchyard agent: when set, the network's bridge (and VXLAN device) is the agent's,
   * asked for by the agent's name of the network, so containers share the L2 of its instances.
   */
  agent?: { url: string; token: string; network: string };
  /** Remote VTEPs: when set, a vxlan network's bridge gets a VXLAN device towards them. */
  vxlan?: { localAddress: string; remotes: string[] };
  dns?: Record<string, unknown>;
  prevResult?: CniResult;
  validAttachments?: AttachmentId[];
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,62}[A-Za-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const PREFIX = /^[a-z][a-z0-9]{0,3}$/;

type Issues = string[];

/** Parses and checks the configuration; every bad field is named in one error (code 7). */
export function parseConfig(
  text: string,
  overrides: Partial<Record<'tenant' | 'network' | 'group', string>>,
  defaults: { hostId: string },
): PluginConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CniError(CniCode.DecodeFailure, 'the configuration is not JSON', (err as Error).message);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CniError(CniCode.DecodeFailure, 'the configuration is not a JSON object');
  }
  const c = raw as Record<string, unknown>;
  const issues: Issues = [];
  const str = (field: string, required: boolean): string => {
    const v = c[field];
    if (v === undefined || v === null || v === '') {
      if (required) issues.push(`${field}: is required`);
      return '';
    }
    if (typeof v !== 'string') {
      issues.push(`${field}: must be a string`);
      return '';
    }
    return v;
  };
  const cniVersion = str('cniVersion', true);
  const name = str('name', true);
  if (name && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    issues.push('name: must start with a letter or digit, then letters, digits, _ . -');
  }
  const url = str('url', true);
  if (url && !/^https?:\/\/[^\s/]+/.test(url)) issues.push('url: must be an http(s) URL');
  const token = readToken(c, issues);
  const tenant = overrides.tenant ?? str('tenant', true);
  const network = overrides.network ?? str('network', true);
  const group = overrides.group ?? str('group', false);
  for (const [field, value] of [
    ['tenant', tenant],
    ['network', network],
    ['group', group],
  ] as const) {
    if (value !== '' && !NAME.test(value)) {
      issues.push(`${field}: "${value}" is not a fabric name (1-64 letters, digits, - and .)`);
    }
  }
  const stateDir = str('stateDir', false) || '/var/lib/switchyard-cni';
  if (!stateDir.startsWith('/')) issues.push('stateDir: must be an absolute path');
  const namePrefix = str('namePrefix', false) || 'sy';
  if (!PREFIX.test(namePrefix)) issues.push('namePrefix: must be 1-4 lower-case letters and digits');
  const hostId = str('hostId', false) || defaults.hostId;
  const mtu = c.mtu;
  if (mtu !== undefined && (!Number.isInteger(mtu) || (mtu as number) < 576 || (mtu as number) > 9000)) {
    issues.push('mtu: must be a whole number from 576 to 9000');
  }
  const vxlan = parseVxlan(c.vxlan, issues);
  const agent = parseAgent(c.agent, issues);
  if (c.dns !== undefined && (typeof c.dns !== 'object' || c.dns === null || Array.isArray(c.dns))) {
    issues.push('dns: must be an object');
  }
  const prevResult = c.prevResult;
  if (prevResult !== undefined && (typeof prevResult !== 'object' || prevResult === null)) {
    issues.push('prevResult: must be an object');
  }
  const validAttachments = parseValidAttachments(c['cni.dev/valid-attachments'], issues);
  if (issues.length > 0) {
    throw new CniError(CniCode.InvalidConfig, 'invalid network configuration', issues.join('; '));
  }
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(cniVersion)) {
    throw new CniError(
      CniCode.IncompatibleVersion,
      'incompatible CNI version',
      `cniVersion "${cniVersion}" is not one of ${SUPPORTED_VERSIONS.join(', ')}`,
    );
  }
  return {
    cniVersion,
    name,
    url: url.replace(/\/+$/, ''),
    token,
    tenant,
    network,
    group,
    stateDir,
    namePrefix,
    hostId,
    ...(mtu === undefined ? {} : { mtu: mtu as number }),
    ...(vxlan ? { vxlan } : {}),
    ...(agent ? { agent } : {}),
    ...(c.dns ? { dns: c.dns as Record<string, unknown> } : {}),
    ...(prevResult ? { prevResult: prevResult as CniResult } : {}),
    ...(validAttachments ? { validAttachments } : {}),
  };
}

function readToken(c: Record<string, unknown>, issues: Issues): string {
  if (typeof c.token === 'string' && c.token !== '') return c.token;
  if (typeof c.tokenFile === 'string' && c.tokenFile.startsWith('/')) {
    try {
      return readFileSync(c.tokenFile, 'utf8').trim();
    } catch (err) {
      issues.push(`tokenFile: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return '';
    }
  }
  issues.push('token: is required (or tokenFile, an absolute path)');
  return '';
}

function parseAgent(v: unknown, issues: Issues): PluginConfig['agent'] {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    issues.push('agent: must be an object {url, token or tokenFile, network}');
    return undefined;
  }
  const a = v as Record<string, unknown>;
  const before = issues.length;
  if (typeof a.url !== 'string' || !/^https?:\/\/[^\s/]+/.test(a.url))
    issues.push('agent.url: must be an http(s) URL');
  const inner: Issues = [];
  const token = readToken(a, inner);
  issues.push(...inner.map((i) => `agent.${i}`));
  if (typeof a.network !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(a.network)) {
    issues.push("agent.network: must be the agent's name of the network");
  }
  if (issues.length > before) return undefined;
  return { url: (a.url as string).replace(/\/+$/, ''), token, network: a.network as string };
}

function parseVxlan(v: unknown, issues: Issues): PluginConfig['vxlan'] {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    issues.push('vxlan: must be an object {localAddress, remotes}');
    return undefined;
  }
  const { localAddress, remotes } = v as Record<string, unknown>;
  if (typeof localAddress !== 'string' || !IPV4.test(localAddress)) {
    issues.push("vxlan.localAddress: must be this host's IPv4 underlay address");
  }
  if (!Array.isArray(remotes) || remotes.some((r) => typeof r !== 'string' || !IPV4.test(r))) {
    issues.push('vxlan.remotes: must be a list of IPv4 addresses');
    return undefined;
  }
  return { localAddress: localAddress as string, remotes: remotes as string[] };
}

function parseValidAttachments(v: unknown, issues: Issues): AttachmentId[] | undefined {
  if (v === undefined) return undefined;
  const field = 'cni.dev/valid-attachments';
  if (!Array.isArray(v)) {
    issues.push(`${field}: must be a list`);
    return undefined;
  }
  const out: AttachmentId[] = [];
  v.forEach((a: unknown, i) => {
    const item = a as Record<string, unknown> | null;
    if (typeof item?.containerID !== 'string' || typeof item.ifname !== 'string') {
      issues.push(`${field}[${i}]: must be {containerID, ifname}`);
    } else out.push({ containerID: item.containerID, ifname: item.ifname });
  });
  return out;
}
