import { FabricError } from '../errors/fabric.exception.js';
import { formatIp, parseIPv4, parseIPv6 } from '../ipam/ip.util.js';
import { deleteAddress, findAddress } from '../ipam/ipam.repository.js';
import { addressingOf, allocate, type GroupPool, poolsOf } from '../ipam/ipam.service.js';
import { endpointMac } from '../ipam/mac.util.js';
import { parsePool } from '../ipam/subnet.util.js';
import type { EndpointGroupConfig, EndpointOper } from '../model/objects.model.js';
import { findObject, type ObjectRow, requireTenant, type TenantRow } from './config.repository.js';
import type { Db } from './db.util.js';
import { deleteEndpointRow, type EndpointRow, findEndpoint, insertEndpoint } from './endpoint.repository.js';
import { lockNetwork } from './object-hooks.service.js';

/** Contiv's `POST /plugin/allocAddress` body. AddressPool is accepted and ignored (the network decides). */
export interface AllocAddressRequest {
  NetworkID: string;
  AddressPool?: string;
  PreferredIPv4Address?: string;
}

export interface AllocAddressResponse {
  NetworkID: string;
  /** `a.b.c.d/len` */
  IPv4Address: string;
}

export interface ReleaseAddressRequest {
  NetworkID: string;
  /** `a.b.c.d` or `a.b.c.d/len` */
  IPv4Address: string;
}

/** Contiv's `createEndpoint` body (flattened; ConfigEP's fields are read too). */
export interface CreateEndpointRequest {
  TenantName?: string;
  NetworkName: string;
  /** The endpoint group; empty for a network-level endpoint. */
  ServiceName?: string;
  EndpointID: string;
  ContainerID?: string;
  HomingHost?: string;
  IntfName?: string;
  /** Preferred IPv4 address. */
  IPAddress?: string;
  ConfigEP?: { Container?: string; Host?: string; IPAddress?: string; ServiceName?: string };
}

export interface DeleteEndpointRequest {
  TenantName?: string;
  NetworkName?: string;
  ServiceName?: string;
  EndpointID: string;
}

/**
 * Splits a NetworkID `network.tenant` or `network:group.tenant`; the tenant is given (names may hold
 * dots, so the suffix is matched rather than split at a dot).
 */
export function parseNetworkId(id: string, tenant: string): { network: string; group?: string } {
  const suffix = `.${tenant}`;
  if (typeof id !== 'string' || !id.endsWith(suffix) || id.length === suffix.length) {
    const message = `"${id}" is not network.${tenant} or network:group.${tenant}`;
    throw FabricError.invalid([{ path: 'NetworkID', message }]);
  }
  const [network = '', group, ...rest] = id.slice(0, -suffix.length).split(':');
  if (rest.length > 0 || network === '' || group === '') {
    throw FabricError.invalid([
      { path: 'NetworkID', message: `"${id}" is not network.tenant or network:group.tenant` },
    ]);
  }
  return group === undefined ? { network } : { network, group };
}

/** The group's pool to draw from (undefined: network level), after checking it is in the network. */
async function groupPool(db: Db, tenant: TenantRow, network: ObjectRow, group: string, path: string) {
  const row = await findObject(db, tenant.id, 'endpointGroup', group);
  if (!row) throw FabricError.notFound(`endpoint group "${group}" does not exist in tenant "${tenant.name}"`);
  const cfg = row.config as unknown as EndpointGroupConfig;
  if (cfg.networkName !== network.name) {
    throw FabricError.invalid([
      { path, message: `group "${group}" belongs to network "${cfg.networkName}", not "${network.name}"` },
    ]);
  }
  const pool = cfg.ipPool === '' ? undefined : parsePool(cfg.ipPool);
  return {
    id: row.id,
    pool: pool?.ok ? ({ id: row.id, name: row.name, span: pool.value } satisfies GroupPool) : undefined,
  };
}

function preferredV4(text: string | undefined, path: string): bigint | undefined {
  if (text === undefined || text === '') return undefined;
  const value = parseIPv4(text.split('/')[0] ?? '');
  if (value === undefined) throw FabricError.invalid([{ path, message: `"${text}" is not an IPv4 address` }]);
  return value;
}

export async function allocAddress(
  db: Db,
  tenantName: string,
  req: AllocAddressRequest,
): Promise<AllocAddressResponse> {
  const { network, group } = parseNetworkId(req.NetworkID, tenantName);
  const tenant = await requireTenant(db, tenantName);
  const row = await lockNetwork(db, tenant, network);
  const net = addressingOf(row);
  const pools = await poolsOf(db, tenant.id, network);
  const drawn = group === undefined ? undefined : await groupPool(db, tenant, row, group, 'NetworkID');
  const preferred = preferredV4(req.PreferredIPv4Address, 'PreferredIPv4Address');
  const value = await allocate(db, net, {
    family: 4,
    kind: 'address',
    pools,
    ...(drawn?.pool ? { group: drawn.pool } : {}),
    ...(preferred === undefined ? {} : { preferred }),
  });
  return { NetworkID: req.NetworkID, IPv4Address: `${formatIp(4, value)}/${net.v4.prefix}` };
}

export async function releaseAddress(db: Db, tenantName: string, req: ReleaseAddressRequest): Promise<void> {
  const { network } = parseNetworkId(req.NetworkID, tenantName);
  const value = preferredV4(req.IPv4Address, 'IPv4Address');
  if (value === undefined) throw FabricError.invalid([{ path: 'IPv4Address', message: 'is required' }]);
  const tenant = await requireTenant(db, tenantName);
  const row = await lockNetwork(db, tenant, network);
  const text = formatIp(4, value);
  const held = await findAddress(db, row.id, 4, value);
  if (!held) throw FabricError.notFound(`${text} is not allocated in network "${network}"`);
  if (held.kind !== 'address') {
    const by =
      held.kind === 'gateway'
        ? 'is the gateway'
        : held.kind === 'vip'
          ? 'is a service VIP'
          : 'belongs to an endpoint';
    throw FabricError.conflict(`${text} ${by} of network "${network}"; it is released with its owner`);
  }
  await deleteAddress(db, row.id, 4, value);
}

export function toEndpointOper(row: EndpointRow): EndpointOper {
  const {
    endpointID,
    tenantName,
    networkName,
    serviceName,
    ipAddress,
    macAddress,
    homingHost,
    containerID,
    intfName,
  } = row;
  return {
    endpointID,
    tenantName,
    networkName,
    serviceName,
    ipAddress,
    macAddress,
    homingHost,
    containerID,
    intfName,
  };
}

export async function createEndpoint(
  db: Db,
  tenantName: string,
  req: CreateEndpointRequest,
): Promise<EndpointOper> {
  const group = req.ServiceName || req.ConfigEP?.ServiceName || '';
  const issues = [];
  if (req.TenantName && req.TenantName !== tenantName)
    issues.push({ path: 'TenantName', message: `must be "${tenantName}"` });
  if (typeof req.EndpointID !== 'string' || req.EndpointID === '' || req.EndpointID.length > 200) {
    issues.push({ path: 'EndpointID', message: 'is required (1-200 characters)' });
  }
  if (typeof req.NetworkName !== 'string' || req.NetworkName === '')
    issues.push({ path: 'NetworkName', message: 'is required' });
  if (issues.length > 0) throw FabricError.invalid(issues, 'endpoint');
  const tenant = await requireTenant(db, tenantName);
  const row = await lockNetwork(db, tenant, req.NetworkName);
  const existing = await findEndpoint(db, tenant.id, req.EndpointID);
  if (existing) {
    // A retried create is a no-op; the same id elsewhere is a conflict.
    if (existing.networkName === req.NetworkName && existing.serviceName === group)
      return toEndpointOper(existing);
    throw FabricError.conflict(
      `endpoint "${req.EndpointID}" exists in ${existing.networkName}/${existing.serviceName}`,
    );
  }
  const net = addressingOf(row);
  const pools = await poolsOf(db, tenant.id, req.NetworkName);
  const drawn = group === '' ? undefined : await groupPool(db, tenant, row, group, 'ServiceName');
  const preferred = preferredV4(req.IPAddress || req.ConfigEP?.IPAddress, 'IPAddress');
  const common = { kind: 'endpoint' as const, pools, ...(drawn?.pool ? { group: drawn.pool } : {}) };
  const v4 = await allocate(db, net, {
    ...common,
    family: 4,
    preferredField: 'IPAddress',
    ...(preferred === undefined ? {} : { preferred }),
  });
  const v6 = net.v6 ? await allocate(db, net, { ...common, family: 6 }) : undefined;
  await insertEndpoint(db, {
    tenantId: tenant.id,
    endpointId: req.EndpointID,
    networkId: row.id,
    groupId: drawn?.id ?? null,
    ipv4: formatIp(4, v4),
    ipv6: v6 === undefined ? null : formatIp(6, v6),
    mac: endpointMac(v4),
    homingHost: req.HomingHost ?? req.ConfigEP?.Host ?? '',
    containerId: req.ContainerID ?? req.ConfigEP?.Container ?? '',
    intfName: req.IntfName ?? '',
  });
  const created = await findEndpoint(db, tenant.id, req.EndpointID);
  if (!created) throw new Error('endpoint vanished inside its own transaction');
  return toEndpointOper(created);
}

export async function deleteEndpoint(db: Db, tenantName: string, req: DeleteEndpointRequest): Promise<void> {
  const tenant = await requireTenant(db, tenantName);
  const existing = await findEndpoint(db, tenant.id, req.EndpointID);
  if (!existing)
    throw FabricError.notFound(`endpoint "${req.EndpointID}" does not exist in tenant "${tenant.name}"`);
  await lockNetwork(db, tenant, existing.networkName);
  await deleteAddress(db, existing.networkId, 4, parseIPv4(existing.ipv4) ?? 0n);
  if (existing.ipv6) await deleteAddress(db, existing.networkId, 6, parseIPv6(existing.ipv6) ?? 0n);
  await deleteEndpointRow(db, existing.id);
}

export async function inspectEndpoint(db: Db, tenantName: string, endpointId: string): Promise<EndpointOper> {
  const tenant = await requireTenant(db, tenantName);
  const row = await findEndpoint(db, tenant.id, endpointId);
  if (!row) throw FabricError.notFound(`endpoint "${endpointId}" does not exist in tenant "${tenant.name}"`);
  return toEndpointOper(row);
}
