import { BlockList, isIP } from 'node:net';

// Addresses a webhook may not reach unless an admin lists them (webhook_settings.allowed_targets):
// loopback, private, link-local (cloud metadata), carrier-grade NAT, unspecified, multicast and
// reserved ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 is judged as its IPv4 address).
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv6');
}

/** An entry of the allowed list: a host name (exact, case-insensitive), an address or a CIDR block. */
export function isAllowedTargetEntry(entry: string): boolean {
  return (
    parseCidr(entry) !== undefined ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)
  );
}

/** The admin's allowed list, compiled once per use. */
export class AllowedTargets {
  private readonly blocks = new BlockList();
  private readonly hosts = new Set<string>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const cidr = parseCidr(entry);
      if (cidr) this.blocks.addSubnet(cidr.address, cidr.bits, cidr.family);
      else this.hosts.add(entry.toLowerCase());
    }
  }

  /**
   * Why `address` (resolved from `host`) may not be called, or undefined when it may: public
   * addresses always, internal ones only when the admin listed the host or a block holding them.
   */
  refusal(host: string, address: string): string | undefined {
    const { ip, family } = unmapped(address);
    if (!INTERNAL.check(ip, family)) return undefined;
    if (this.hosts.has(host.toLowerCase()) || this.blocks.check(ip, family)) return undefined;
    return `${host} is an internal address (${ip}); an admin must allow it in the webhook settings`;
  }
}

function unmapped(address: string): { ip: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { ip: mapped[1], family: 'ipv4' };
  return { ip: address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

function parseCidr(entry: string): { address: string; bits: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', bitsText, extra] = entry.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= max)) return undefined;
  return { address, bits, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Why a subscription's URL may not be called (scheme, credentials, an internal address), or undefined. */
export async function targetRefusal(
  url: string,
  allowed: AllowedTargets,
  resolve: (host: string) => Promise<string[]> = resolveAll,
): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `${host} does not resolve`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const address of addresses) {
    const refusal = allowed.refusal(host, address);
    if (refusal) return refusal;
  }
  return undefined;
}

// a resolver that does not answer must not hold the request that asked
const RESOLVE_TIMEOUT_MS = 5_000;

async function resolveAll(host: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer')), RESOLVE_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([lookup(host, { all: true }), late])).map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A `lookup` for http.request that refuses internal addresses the admin did not allow, so the
 * check holds for the address actually connected to (a name that resolves differently between a
 * check and the call cannot slip through).
 */
export function guardedLookup(allowed: AllowedTargets) {
  return (
    host: string,
    options: { all?: boolean },
    callback: (
      err: Error | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void,
  ): void => {
    void import('node:dns').then(({ lookup }) =>
      lookup(host, { all: true }, (err, found) => {
        if (err) return callback(err, []);
        const refused = found.map((a) => allowed.refusal(host, a.address)).find((r) => r);
        if (refused) return callback(Object.assign(new Error(refused), { code: 'EWEBHOOKTARGET' }), []);
        if (options.all) return callback(null, found);
        const first = found[0]!;
        return callback(null, first.address, first.family);
      }),
    );
  };
}
