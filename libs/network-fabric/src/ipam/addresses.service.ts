import { formatIp, parseIPv4, parseIPv6 } from '../addressing/ip.util.js';
import { endpointMac } from '../addressing/mac.util.js';
import { parsePool } from '../addressing/subnet.util.js';
import { FabricError, type FieldIssue } from '../errors/fabric.exception.js';
import type { EndpointGroupConfig } from '../model/objects.model.js';
import { findObject, lockNetwork, type ObjectRow, type TenantRow } from '../store/config.repository.js';
import type { Db } from '../store/db.util.js';
import {
  deleteEndpointRow,
  type EndpointRow,
  findEndpoint,
  insertEndpoint,
} from '../store/endpoint.repository.js';
import { deleteAddress, findAddress } from './ipam.repository.js';
import { addressingOf, allocate, type GroupPool, poolsOf } from './ipam.service.js';
import { ipv4Field, requiredIPv4Field } from './ipv4-field.util.js';

// Addresses and endpoints of a tenant's networks. Field paths in errors are the request's own
// (network, group, key, preferredIPv4, ipv4); an edge with other field names renames them.

/** The longest endpoint key accepted. */
export const ENDPOINT_KEY_MAX_LENGTH = 200;

export interface AddressRequest {
  network: string;
  /** Draw from this group's ipPool (the group must be in the network); absent: network level. */
  group?: string;
  /** The address wanted, `a.b.c.d` (a `/len` suffix is ignored); absent: the lowest free. */
  preferredIPv4?: string;
}

export interface AllocatedAddress {
  ipv4: string;
  /** The network's IPv4 prefix length. */
  prefixLength: number;
}

export interface AddressRelease {
  network: string;
  /** `a.b.c.d` or `a.b.c.d/len` */
  ipv4: string;
}

export interface EndpointRequest {
  network: string;
  /** The endpoint group; absent or '' for a network-level endpoint. */
  group?: string;
  /** The caller's name for the endpoint, unique in the tenant (an idempotency key will do). */
  key: string;
  preferredIPv4?: string;
  host?: string;
  containerId?: string;
  interfaceName?: string;
}

/** An attached container or VM with its addresses. */
export interface Endpoint {
  key: string;
  tenantId: string;
  tenantName: string;
  network: string;
  /** The endpoint group, or '' for a network-level endpoint. */
  group: string;
  ipv4: string;
  ipv6?: string;
  mac: string;
  host: string;
  containerId: string;
  interfaceName: string;
}

/** The group's pool to draw from (undefined: none), after checking it is in the network. */
async function groupPool(db: Db, tenant: TenantRow, network: ObjectRow, group: string) {
  const row = await findObject(db, tenant.id, 'endpointGroup', group);
  if (!row) throw FabricError.notFound(`endpoint group "${group}" does not exist in tenant "${tenant.name}"`);
  const cfg = row.config as unknown as EndpointGroupConfig;
  if (cfg.networkName !== network.name) {
    throw FabricError.invalid([
      {
        path: 'group',
        message: `group "${group}" belongs to network "${cfg.networkName}", not "${network.name}"`,
      },
    ]);
  }
  const pool = cfg.ipPool === '' ? undefined : parsePool(cfg.ipPool);
  return {
    id: row.id,
    pool: pool?.ok ? ({ id: row.id, name: row.name, span: pool.value } satisfies GroupPool) : undefined,
  };
}

/** Takes the lowest free IPv4 address of the network or group pool, or the preferred one. */
export async function allocateAddress(
  db: Db,
  tenant: TenantRow,
  req: AddressRequest,
): Promise<AllocatedAddress> {
  const row = await lockNetwork(db, tenant, req.network);
  const net = addressingOf(row);
  const pools = await poolsOf(db, tenant.id, req.network);
  const drawn = req.group ? await groupPool(db, tenant, row, req.group) : undefined;
  const preferred = ipv4Field(req.preferredIPv4, 'preferredIPv4');
  const value = await allocate(db, net, {
    family: 4,
    kind: 'address',
    pools,
    preferredField: 'preferredIPv4',
    ...(drawn?.pool ? { group: drawn.pool } : {}),
    ...(preferred === undefined ? {} : { preferred }),
  });
  return { ipv4: formatIp(4, value), prefixLength: net.v4.prefix };
}

/** Gives back an address taken with allocateAddress (not a gateway, VIP or endpoint's). */
export async function releaseAddress(db: Db, tenant: TenantRow, req: AddressRelease): Promise<void> {
  const value = requiredIPv4Field(req.ipv4, 'ipv4');
  const row = await lockNetwork(db, tenant, req.network);
  const text = formatIp(4, value);
  const held = await findAddress(db, row.id, 4, value);
  if (!held) throw FabricError.notFound(`${text} is not allocated in network "${req.network}"`);
  if (held.kind !== 'address') {
    const by =
      held.kind === 'gateway'
        ? 'is the gateway'
        : held.kind === 'vip'
          ? 'is a service VIP'
          : 'belongs to an endpoint';
    throw FabricError.conflict(`${text} ${by} of network "${req.network}"; it is released with its owner`);
  }
  await deleteAddress(db, row.id, 4, value);
}

function toEndpoint(row: EndpointRow, tenant: TenantRow): Endpoint {
  return {
    key: row.endpointID,
    tenantId: tenant.id,
    tenantName: row.tenantName,
    network: row.networkName,
    group: row.serviceName,
    ipv4: row.ipv4,
    ...(row.ipv6 ? { ipv6: row.ipv6 } : {}),
    mac: row.macAddress,
    host: row.homingHost,
    containerId: row.containerID,
    interfaceName: row.intfName,
  };
}

/**
 * Attaches an endpoint with an IPv4 address (and an IPv6 one when the network has a v6 subnet).
 * Asking again for the same key, network and group answers the endpoint made the first time.
 */
export async function allocateEndpoint(db: Db, tenant: TenantRow, req: EndpointRequest): Promise<Endpoint> {
  const group = req.group ?? '';
  const issues: FieldIssue[] = [];
  if (typeof req.key !== 'string' || req.key === '' || req.key.length > ENDPOINT_KEY_MAX_LENGTH) {
    issues.push({ path: 'key', message: `is required (1-${ENDPOINT_KEY_MAX_LENGTH} characters)` });
  }
  if (typeof req.network !== 'string' || req.network === '')
    issues.push({ path: 'network', message: 'is required' });
  if (issues.length > 0) throw FabricError.invalid(issues, 'endpoint');
  const row = await lockNetwork(db, tenant, req.network);
  const existing = await findEndpoint(db, tenant.id, req.key);
  if (existing) {
    // A retried create is a no-op; the same key elsewhere is a conflict.
    if (existing.networkName === req.network && existing.serviceName === group)
      return toEndpoint(existing, tenant);
    throw FabricError.conflict(
      `endpoint "${req.key}" exists in ${existing.networkName}/${existing.serviceName}`,
    );
  }
  const net = addressingOf(row);
  const pools = await poolsOf(db, tenant.id, req.network);
  const drawn = group === '' ? undefined : await groupPool(db, tenant, row, group);
  const preferred = ipv4Field(req.preferredIPv4, 'preferredIPv4');
  const common = { kind: 'endpoint' as const, pools, ...(drawn?.pool ? { group: drawn.pool } : {}) };
  const v4 = await allocate(db, net, {
    ...common,
    family: 4,
    preferredField: 'preferredIPv4',
    ...(preferred === undefined ? {} : { preferred }),
  });
  const v6 = net.v6 ? await allocate(db, net, { ...common, family: 6 }) : undefined;
  await insertEndpoint(db, {
    tenantId: tenant.id,
    endpointId: req.key,
    networkId: row.id,
    groupId: drawn?.id ?? null,
    ipv4: formatIp(4, v4),
    ipv6: v6 === undefined ? null : formatIp(6, v6),
    mac: endpointMac(v4),
    homingHost: req.host ?? '',
    containerId: req.containerId ?? '',
    intfName: req.interfaceName ?? '',
  });
  const created = await findEndpoint(db, tenant.id, req.key);
  if (!created) throw new Error('endpoint vanished inside its own transaction');
  return toEndpoint(created, tenant);
}

/** The endpoint with this key; NOT_FOUND when there is none. */
export async function requireEndpoint(db: Db, tenant: TenantRow, key: string): Promise<Endpoint> {
  const row = await findEndpoint(db, tenant.id, key);
  if (!row) throw FabricError.notFound(`endpoint "${key}" does not exist in tenant "${tenant.name}"`);
  return toEndpoint(row, tenant);
}

/** Detaches the endpoint and frees its addresses; answers false when there was none. */
export async function releaseEndpoint(db: Db, tenant: TenantRow, key: string): Promise<boolean> {
  const existing = await findEndpoint(db, tenant.id, key);
  if (!existing) return false;
  await lockNetwork(db, tenant, existing.networkName);
  await deleteAddress(db, existing.networkId, 4, parseIPv4(existing.ipv4) ?? 0n);
  if (existing.ipv6) await deleteAddress(db, existing.networkId, 6, parseIPv6(existing.ipv6) ?? 0n);
  await deleteEndpointRow(db, existing.id);
  return true;
}
