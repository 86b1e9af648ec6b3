import { FabricError } from '../errors/fabric.exception.js';
import type { NetworkConfig } from '../model/objects.model.js';
import { listObjects, type ObjectRow } from '../store/config.repository.js';
import type { Db } from '../store/db.util.js';
import { formatIp, parseIp } from '../addressing/ip.util.js';
import { type AddressKind, insertAddress, listAddresses, lowestFree } from './ipam.repository.js';
import { formatSpans, subtractSpans, toSpans } from '../addressing/range-list.util.js';
import {
  formatSubnetBlock,
  parsePool,
  parseSubnet,
  type Span,
  spanContains,
  spansOverlap,
  type Subnet,
  subnetContains,
  poolsOverlap,
  usableSpan,
} from '../addressing/subnet.util.js';

/** A network's addressing, parsed from its (validated) config. */
export interface NetworkAddressing {
  id: string;
  name: string;
  v4: Subnet;
  v6?: Subnet;
  gateway4?: bigint;
  gateway6?: bigint;
}

/** A group's reserved pool inside its network. */
export interface GroupPool {
  id: string;
  name: string;
  span: Span;
}

export function addressingOf(row: ObjectRow): NetworkAddressing {
  const cfg = row.config as unknown as NetworkConfig;
  const v4 = mustParse(cfg.subnet);
  const out: NetworkAddressing = { id: row.id, name: row.name, v4 };
  if (cfg.ipv6Subnet !== '') out.v6 = mustParse(cfg.ipv6Subnet);
  if (cfg.gateway !== '') out.gateway4 = parseIp(cfg.gateway)?.value;
  if (cfg.ipv6Gateway !== '') out.gateway6 = parseIp(cfg.ipv6Gateway)?.value;
  return out;
}

function mustParse(text: string): Subnet {
  const parsed = parseSubnet(text);
  // Stored configs passed validation; a failure here is corruption, not a client error.
  if (!parsed.ok) throw new Error(`stored subnet "${text}" does not parse: ${parsed.message}`);
  return parsed.value;
}

/**
 * Refuses a subnet (v4 or v6) whose pool overlaps another network's in the same tenant. A ranged
 * subnet's pool is its range, so two networks may share a /24 with disjoint ranges (as in Contiv).
 */
export async function checkSubnetOverlap(db: Db, tenantId: string, net: NetworkConfig): Promise<void> {
  const mine = [
    { field: 'subnet', text: net.subnet },
    { field: 'ipv6Subnet', text: net.ipv6Subnet },
  ].filter((s) => s.text !== '');
  const issues = [];
  for (const other of await listObjects(db, tenantId, 'network')) {
    if (other.name === net.networkName) continue;
    const cfg = other.config as unknown as NetworkConfig;
    for (const { field, text } of mine) {
      const theirs = field === 'subnet' ? cfg.subnet : cfg.ipv6Subnet;
      const a = parseSubnet(text);
      const b = parseSubnet(theirs);
      if (theirs !== '' && a.ok && b.ok && poolsOverlap(a.value, b.value)) {
        issues.push({ path: field, message: `${text} overlaps ${theirs} of network "${other.name}"` });
      }
    }
  }
  if (issues.length > 0)
    throw FabricError.conflict(`subnet overlaps in tenant: ${issues[0]?.message}`, { issues });
}

/** Marks the gateways allocated (they are never handed out and show as allocated). */
export async function reserveGateways(db: Db, net: NetworkAddressing): Promise<void> {
  if (net.gateway4 !== undefined) {
    await insertAddress(db, { networkId: net.id, family: 4, value: net.gateway4, kind: 'gateway' });
  }
  if (net.gateway6 !== undefined) {
    await insertAddress(db, { networkId: net.id, family: 6, value: net.gateway6, kind: 'gateway' });
  }
}

/** The ipPools of a network's groups. */
export async function poolsOf(db: Db, tenantId: string, networkName: string): Promise<GroupPool[]> {
  const groups = await listObjects(db, tenantId, 'endpointGroup');
  return groups.flatMap((g) => {
    const cfg = g.config as { networkName: string; ipPool: string };
    const parsed = cfg.networkName === networkName && cfg.ipPool !== '' ? parsePool(cfg.ipPool) : undefined;
    return parsed?.ok ? [{ id: g.id, name: g.name, span: parsed.value }] : [];
  });
}

/** Refuses a pool outside the network's usable range, overlapping another pool or holding taken addresses. */
export async function checkGroupPool(
  db: Db,
  net: NetworkAddressing,
  pools: readonly GroupPool[],
  groupName: string,
  ipPool: string,
): Promise<void> {
  const parsed = parsePool(ipPool);
  if (!parsed.ok) throw FabricError.invalid([{ path: 'ipPool', message: parsed.message }], 'endpointGroup');
  const span = parsed.value;
  const usable = usableSpan(net.v4);
  if (!spanContains(usable, span)) {
    const range = formatSpans(4, [usable]);
    const message = `${ipPool} is not inside the usable addresses ${range} of network "${net.name}"`;
    throw FabricError.invalid([{ path: 'ipPool', message }], 'endpointGroup');
  }
  const clash = pools.find((p) => p.name !== groupName && spansOverlap(p.span, span));
  if (clash) {
    const message = `${ipPool} overlaps ipPool ${formatSpans(4, [clash.span])} of group "${clash.name}"`;
    throw FabricError.conflict(message, { issues: [{ path: 'ipPool', message }] });
  }
  const taken = (await listAddresses(db, net.id, 4)).filter(
    (a) => a.kind !== 'gateway' && a.address >= span.start && a.address <= span.end,
  );
  if (taken.length > 0) {
    const list = formatSpans(4, toSpans(taken.map((a) => a.address)));
    const message = `${ipPool} holds addresses already allocated in network "${net.name}": ${list}`;
    throw FabricError.conflict(message, { issues: [{ path: 'ipPool', message }] });
  }
}

export interface AllocationRequest {
  family: 4 | 6;
  kind: AddressKind;
  /** Draw from this group's pool only; otherwise network-level, skipping every pool. */
  group?: GroupPool;
  pools: readonly GroupPool[];
  preferred?: bigint;
  /** The field a preferred address came in, for error paths. */
  preferredField?: string;
  ownerId?: string;
}

/** Takes the lowest free address (or the preferred one). Caller holds the network row lock. */
export async function allocate(db: Db, net: NetworkAddressing, req: AllocationRequest): Promise<bigint> {
  const subnet = req.family === 4 ? net.v4 : net.v6;
  if (!subnet)
    throw FabricError.invalid([{ path: 'network', message: `network "${net.name}" has no IPv6 subnet` }]);
  const usable = usableSpan(subnet);
  const span = req.group ? req.group.span : usable;
  const holes = req.group || req.family === 6 ? [] : req.pools.map((p) => p.span);
  const where = req.group
    ? `ipPool ${formatSpans(4, [req.group.span])} of group "${req.group.name}"`
    : `subnet ${formatSubnetBlock(subnet)}${subnet.range ? ` (range ${formatSpans(4, [subnet.range])})` : ''} of network "${net.name}"`;
  const base = {
    networkId: net.id,
    family: req.family,
    kind: req.kind,
    groupId: req.group?.id,
    ownerId: req.ownerId,
  };
  const preferred = req.preferred;
  if (preferred !== undefined) {
    const text = formatIp(req.family, preferred);
    const path = req.preferredField ?? 'preferredIPv4';
    if (!subnetContains(subnet, preferred) || preferred < span.start || preferred > span.end) {
      throw FabricError.invalid([{ path, message: `${text} is not a usable address of the ${where}` }]);
    }
    const hole =
      holes.length > 0
        ? req.pools.find((p) => preferred >= p.span.start && preferred <= p.span.end)
        : undefined;
    if (hole) throw FabricError.conflict(`${text} is reserved for the ipPool of group "${hole.name}"`);
    if (!(await insertAddress(db, { ...base, value: preferred }))) {
      throw FabricError.conflict(`${text} is already in use in network "${net.name}"`, {
        issues: [{ path, message: 'is already in use' }],
      });
    }
    return preferred;
  }
  const value = await lowestFree(db, net.id, req.family, span, holes);
  if (value === undefined || !(await insertAddress(db, { ...base, value }))) {
    throw FabricError.exhausted(`no free address left in the ${where}`);
  }
  return value;
}

/** Contiv's inspect strings for a network (whole subnet) or a group (its pool). */
export async function addressReport(
  db: Db,
  net: NetworkAddressing,
  pools: readonly GroupPool[],
  group?: GroupPool,
): Promise<{ allocatedAddressesCount: number; allocatedIPAddresses: string; availableIPAddresses: string }> {
  const all = await listAddresses(db, net.id, 4);
  const span = group ? group.span : usableSpan(net.v4);
  const inside = group ? all.filter((a) => a.address >= span.start && a.address <= span.end) : all;
  // Network level: a group's pool is not available to network-level allocation, so it is left out.
  const holes = [...toSpans(inside.map((a) => a.address)), ...(group ? [] : pools.map((p) => p.span))];
  return {
    // Contiv's count: addresses handed out, not the gateway (which the list below still shows).
    allocatedAddressesCount: inside.filter((a) => a.kind !== 'gateway').length,
    allocatedIPAddresses: formatSpans(4, toSpans(inside.map((a) => a.address))),
    availableIPAddresses: formatSpans(4, subtractSpans(span, holes)),
  };
}
