// IPv4 arithmetic for the network checks (addresses inside a CIDR, not its network or broadcast).

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export interface Cidr {
  network: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr {
  const [address = '', prefix = '0'] = cidr.split('/');
  return { network: ipToNumber(address), prefix: Number(prefix) };
}

function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** Whether the CIDR's address is its network address (no host bits set). */
export function isNetworkAddress(c: Cidr): boolean {
  return c.network % size(c) === 0;
}

/** Whether `ip` is a usable host address of the network (not its network or broadcast address). */
export function isHostIn(ip: string, c: Cidr): boolean {
  const n = ipToNumber(ip);
  return n > c.network && n < c.network + size(c) - 1;
}
