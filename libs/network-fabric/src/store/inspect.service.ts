import { addressReport, addressingOf, poolsOf } from '../ipam/ipam.service.js';
import { formatTagSpans, toSpans } from '../ipam/range-list.util.js';
import type { NetworkConfig, TenantObjectKind } from '../model/objects.model.js';
import { tagsInUse, tagsOfNetwork } from '../tags/tags.repository.js';
import { toEndpointOper } from './address.service.js';
import { countByKind, findReferencing, type ObjectRow, type TenantRow } from './config.repository.js';
import { type Db, selectOne } from './db.util.js';
import { listEndpoints } from './endpoint.repository.js';

// Operational state shown by `inspect`, next to the config (Contiv's {Config, Oper}).

export async function globalOper(db: Db): Promise<Record<string, unknown>> {
  const networks = await selectOne<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM fabric_objects WHERE kind = 'network'`,
  );
  const inUse = async (space: 'vlan' | 'vxlan') =>
    formatTagSpans(toSpans((await tagsInUse(db, space)).map(BigInt)));
  return {
    numNetworks: networks?.n ?? 0,
    vlansInUse: await inUse('vlan'),
    vxlansInUse: await inUse('vxlan'),
  };
}

export async function tenantOper(db: Db, tenant: TenantRow): Promise<Record<string, unknown>> {
  const counts = await countByKind(db, tenant.id);
  return {
    numNetworks: counts.network ?? 0,
    numEndpointGroups: counts.endpointGroup ?? 0,
    numPolicies: counts.policy ?? 0,
    numServiceLBs: counts.serviceLB ?? 0,
    totalEndpoints: (await listEndpoints(db, tenant.id)).length,
  };
}

export async function objectOper(
  db: Db,
  tenant: TenantRow,
  kind: TenantObjectKind,
  row: ObjectRow,
): Promise<Record<string, unknown>> {
  switch (kind) {
    case 'network': {
      const net = addressingOf(row);
      const tags = await tagsOfNetwork(db, row.id);
      const encap = (row.config as unknown as NetworkConfig).encap;
      const endpoints = (await listEndpoints(db, tenant.id, { networkId: row.id })).map(toEndpointOper);
      return {
        pktTag: encap === 'vxlan' ? tags.vxlan : tags.vlan,
        ...(encap === 'vxlan' ? { localVlan: tags['local-vlan'] } : {}),
        numEndpoints: endpoints.length,
        ...(await addressReport(db, net, await poolsOf(db, tenant.id, row.name))),
        endpoints,
      };
    }
    case 'endpointGroup': {
      const endpoints = (await listEndpoints(db, tenant.id, { groupId: row.id })).map(toEndpointOper);
      const networkName = (row.config as { networkName: string }).networkName;
      const pools = await poolsOf(db, tenant.id, networkName);
      const pool = pools.find((p) => p.id === row.id);
      const network = await findReferencing(db, tenant.id, 'network', 'networkName', networkName, false);
      const report = pool && network[0] ? await addressReport(db, addressingOf(network[0]), pools, pool) : {};
      return { numEndpoints: endpoints.length, ...report, endpoints };
    }
    case 'policy': {
      const groups = await findReferencing(db, tenant.id, 'endpointGroup', 'policies', row.name, true);
      const rules = await findReferencing(db, tenant.id, 'rule', 'policyName', row.name, false);
      return { endpointGroups: groups.map((g) => g.name), numRules: rules.length };
    }
    case 'serviceLB': {
      const vip = await selectOne<{ address: string }>(
        db,
        `SELECT host(address) AS address FROM fabric_addresses WHERE owner_id = $1`,
        [row.id],
      );
      return { serviceVip: vip?.address ?? '' };
    }
    case 'netprofile':
    case 'extContractsGroup': {
      const field = kind === 'netprofile' ? 'netProfile' : 'extContractsGrps';
      const groups = await findReferencing(
        db,
        tenant.id,
        'endpointGroup',
        field,
        row.name,
        kind !== 'netprofile',
      );
      return { endpointGroups: groups.map((g) => g.name) };
    }
    default:
      return {};
  }
}
