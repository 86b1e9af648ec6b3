import { formatIp } from '../addressing/ip.util.js';
import { parseSubnet, type Subnet, subnetsOverlap } from '../addressing/subnet.util.js';

/** Where deployment networks are cut from when an environment does not say. */
export const DEFAULT_ADDRESS_POOL = '10.200.0.0/16';

export interface PoolSubnet {
  /** The whole /24 (what the cloud gets). */
  cidr: string;
  /** What the fabric hands out: .10-.250, clear of the addresses clouds keep for themselves. */
  fabricSubnet: string;
  gateway: string;
}

/**
 * The lowest /24 of `pool` that overlaps none of `taken` (subnets already in use), or
 * undefined when the pool is full.
 */
export function nextSubnet(pool: string, taken: string[]): PoolSubnet | undefined {
  const parsed = parseSubnet(pool);
  if (!parsed.ok || parsed.value.family !== 4 || parsed.value.prefix > 24) {
    throw new Error(`address pool ${pool} must be an IPv4 block of /24 or larger`);
  }
  const used = taken.map((t) => parseSubnet(t)).flatMap((p) => (p.ok ? [p.value] : []));
  for (let net = parsed.value.network; net + 255n <= parsed.value.broadcast; net += 256n) {
    const candidate: Subnet = { family: 4, prefix: 24, network: net, broadcast: net + 255n };
    if (used.some((u) => subnetsOverlap(u, candidate))) continue;
    const at = (n: bigint) => formatIp(4, net + n);
    return { cidr: `${at(0n)}/24`, fabricSubnet: `${at(10n)}-${at(250n)}/24`, gateway: at(1n) };
  }
  return undefined;
}
