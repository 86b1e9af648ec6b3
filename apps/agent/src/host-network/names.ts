// Every name and value that reaches `ip`, `bridge`, `nft` or a cgroup file passes one of these
// checks first. They are stricter than the kernel: a name that could be read as an option, a
// path or a keyword never gets through.

/** A value refused before it reached a command. */
export class InvalidHostValueError extends Error {
  constructor(
    readonly what: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${what} ${JSON.stringify(value)} ${reason}`);
    this.name = 'InvalidHostValueError';
  }
}

function check(what: string, value: unknown, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value) || value === '.' || value === '..') {
    throw new InvalidHostValueError(what, value, `is not valid: ${rule}`);
  }
  return value;
}

/** Link names: at most 15 characters (IFNAMSIZ), letters, digits, `_`, `.`, `-`, not starting with `-`. */
export function linkName(value: unknown): string {
  return check(
    'link name',
    value,
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/,
    '1-15 of [A-Za-z0-9_.-], not starting with - or .',
  );
}

/** Network namespace names (files under /run/netns). */
export function netnsName(value: unknown): string {
  return check('netns name', value, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '1-64 of [A-Za-z0-9_.-]');
}

/** nftables table names. */
export function nftTableName(value: unknown): string {
  return check(
    'nft table name',
    value,
    /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
    'a letter then up to 63 of [A-Za-z0-9_]',
  );
}

export const NFT_FAMILIES = ['inet', 'ip', 'ip6', 'arp', 'bridge', 'netdev'] as const;
export type NftFamily = (typeof NFT_FAMILIES)[number];

export function nftFamily(value: unknown): NftFamily {
  if (typeof value !== 'string' || !(NFT_FAMILIES as readonly string[]).includes(value)) {
    throw new InvalidHostValueError('nft family', value, `is not one of ${NFT_FAMILIES.join(', ')}`);
  }
  return value as NftFamily;
}

/** cgroup directory names (one path segment). */
export function cgroupName(value: unknown): string {
  return check('cgroup name', value, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '1-64 of [A-Za-z0-9_.-]');
}

/** A dotted-quad IPv4 address without leading zeros. */
export function ipv4(value: unknown, what = 'IPv4 address'): string {
  const octet = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
  return check(what, value, new RegExp(`^${octet}(\\.${octet}){3}$`), 'a dotted-quad IPv4 address');
}

/** `a.b.c.d/len` (an address with its prefix length, or a network). */
export function ipv4Cidr(value: unknown, what = 'IPv4 CIDR'): string {
  if (typeof value !== 'string') throw new InvalidHostValueError(what, value, 'is not a string');
  const [address, length, extra] = value.split('/');
  ipv4(address, what);
  if (extra !== undefined || length === undefined || !/^(3[0-2]|[12]?[0-9])$/.test(length)) {
    throw new InvalidHostValueError(what, value, 'is not address/prefix-length (0-32)');
  }
  return value;
}

export function macAddress(value: unknown): string {
  return check(
    'MAC address',
    value,
    /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/,
    'six lower-case hex pairs separated by :',
  );
}

function integer(what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidHostValueError(what, value, `is not an integer in ${min}-${max}`);
  }
  return value;
}

export const vxlanId = (value: unknown): number => integer('VXLAN id', value, 1, 16_777_215);
export const vlanId = (value: unknown): number => integer('VLAN id', value, 1, 4094);
export const udpPort = (value: unknown): number => integer('UDP port', value, 1, 65_535);
export const processId = (value: unknown): number => integer('process id', value, 1, 4_194_304);
