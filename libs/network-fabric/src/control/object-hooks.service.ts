import { parseIPv4 } from '../addressing/ip.util.js';
import {
  addressingOf,
  allocate,
  checkGroupPool,
  checkSubnetOverlap,
  poolsOf,
  reserveGateways,
} from '../ipam/ipam.service.js';
import type {
  EndpointGroupConfig,
  GlobalConfig,
  NetworkConfig,
  ServiceLBConfig,
  TenantObjectKind,
} from '../model/objects.model.js';
import { allocateNetworkTags } from '../tags/tags.service.js';
import { findObject, lockNetwork, readGlobal, type TenantRow } from '../store/config.repository.js';
import type { Db } from '../store/db.util.js';

// What some kinds do besides storing their config: subnets, pools, tags and VIPs.

/** Checks before a new object is stored (updates cannot touch these fields: they are immutable). */
export async function beforeCreate(
  db: Db,
  tenant: TenantRow,
  kind: TenantObjectKind,
  obj: object,
): Promise<void> {
  if (kind === 'network') await checkSubnetOverlap(db, tenant.id, obj as NetworkConfig);
  if (kind === 'endpointGroup') {
    const group = obj as EndpointGroupConfig;
    if (group.ipPool === '') return;
    const net = addressingOf(await lockNetwork(db, tenant, group.networkName));
    await checkGroupPool(
      db,
      net,
      await poolsOf(db, tenant.id, group.networkName),
      group.groupName,
      group.ipPool,
    );
  }
}

/** Operational state a new object takes: tags and gateways of a network, a service's VIP. */
export async function afterCreate(
  db: Db,
  tenant: TenantRow,
  kind: TenantObjectKind,
  obj: object,
  id: string,
): Promise<void> {
  if (kind === 'network') {
    // Global lock after the tenant lock: the same order everywhere keeps deadlocks out.
    const global = (await readGlobal(db, true)) as unknown as GlobalConfig;
    const net = obj as NetworkConfig;
    await allocateNetworkTags(db, global, net, id);
    const row = await findObject(db, tenant.id, 'network', net.networkName);
    if (row) await reserveGateways(db, addressingOf(row));
  }
  if (kind === 'serviceLB') {
    const svc = obj as ServiceLBConfig;
    const row = await lockNetwork(db, tenant, svc.networkName);
    const preferred = svc.ipAddress === '' ? undefined : parseIPv4(svc.ipAddress);
    await allocate(db, addressingOf(row), {
      family: 4,
      kind: 'vip',
      pools: await poolsOf(db, tenant.id, svc.networkName),
      ownerId: id,
      preferredField: 'ipAddress',
      ...(preferred === undefined ? {} : { preferred }),
    });
  }
}
