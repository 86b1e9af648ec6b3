import { addressReport, addressingOf, poolsOf } from '../ipam/ipam.service.js';
import { formatTagSpans, toSpans } from '../addressing/range-list.util.js';
import type { NetworkConfig, TenantObjectKind } from '../model/objects.model.js';
import { tagsInUse, tagsOfNetwork } from '../tags/tags.repository.js';
import {
  countByKind,
  findReferencing,
  listObjects,
  type ObjectRow,
  type TenantRow,
} from '../store/config.repository.js';
import { type Db, selectOne } from '../store/db.util.js';
import { listEndpoints, toContivEndpoint } from '../store/endpoint.repository.js';

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

// Contiv's TenantOper: totals, and the Oper of each network and group. The num* counts are
// Switchyard's older names of the same totals, kept for its own clients.
export async function tenantOper(db: Db, tenant: TenantRow): Promise<Record<string, unknown>> {
  const counts = await countByKind(db, tenant.id);
  const opers = async (kind: 'network' | 'endpointGroup') =>
    Promise.all((await listObjects(db, tenant.id, kind)).map((row) => objectOper(db, tenant, kind, row)));
  return {
    totalNetworks: counts.network ?? 0,
    totalEPGs: counts.endpointGroup ?? 0,
    totalPolicies: counts.policy ?? 0,
    totalAppProfiles: counts.appProfile ?? 0,
    totalNetprofiles: counts.netprofile ?? 0,
    totalServicelbs: counts.serviceLB ?? 0,
    totalEndpoints: (await listEndpoints(db, tenant.id)).length,
    networks: await opers('network'),
    endpointGroups: await opers('endpointGroup'),
    numNetworks: counts.network ?? 0,
    numEndpointGroups: counts.endpointGroup ?? 0,
    numPolicies: counts.policy ?? 0,
    numServiceLBs: counts.serviceLB ?? 0,
  };
}

// Contiv's tags: a vlan network's pktTag is its VLAN; a vxlan network's pktTag is its local VLAN
// and externalPktTag the VXLAN id. Groups carry their network's tags.
async function networkTags(db: Db, row: ObjectRow) {
  const tags = await tagsOfNetwork(db, row.id);
  const cfg = row.config as unknown as NetworkConfig;
  const vxlan = cfg.encap === 'vxlan';
  return {
    pktTag: vxlan ? tags['local-vlan'] : tags.vlan,
    externalPktTag: vxlan ? tags.vxlan : 0,
    ...(vxlan ? { localVlan: tags['local-vlan'] } : {}),
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
      const endpoints = (await listEndpoints(db, tenant.id, { networkId: row.id })).map(toContivEndpoint);
      const cfgdTag = String(row.config.cfgdTag ?? '');
      return {
        networkTag: cfgdTag || `${row.name}.${tenant.name}`,
        ...(await networkTags(db, row)),
        numEndpoints: endpoints.length,
        ...(await addressReport(db, net, await poolsOf(db, tenant.id, row.name))),
        endpoints,
      };
    }
    case 'endpointGroup': {
      const endpoints = (await listEndpoints(db, tenant.id, { groupId: row.id })).map(toContivEndpoint);
      const networkName = (row.config as { networkName: string }).networkName;
      const pools = await poolsOf(db, tenant.id, networkName);
      const pool = pools.find((p) => p.id === row.id);
      const network = await findReferencing(db, tenant.id, 'network', 'networkName', networkName, false);
      const report = pool && network[0] ? await addressReport(db, addressingOf(network[0]), pools, pool) : {};
      const cfgdTag = String(row.config.cfgdTag ?? '');
      return {
        groupTag: cfgdTag || `${row.name}.${tenant.name}`,
        ...(network[0] ? await networkTags(db, network[0]) : {}),
        numEndpoints: endpoints.length,
        ...report,
        endpoints,
      };
    }
    case 'policy': {
      const groups = await findReferencing(db, tenant.id, 'endpointGroup', 'policies', row.name, true);
      const rules = await findReferencing(db, tenant.id, 'rule', 'policyName', row.name, false);
      const endpoints = [];
      for (const g of groups) {
        endpoints.push(...(await listEndpoints(db, tenant.id, { groupId: g.id })).map(toContivEndpoint));
      }
      return {
        endpointGroups: groups.map((g) => g.name),
        numRules: rules.length,
        numEndpoints: endpoints.length,
        // Contiv counts packets its datapath dropped; Switchyard has no datapath counters.
        policyViolations: 0,
        endpoints,
      };
    }
    case 'serviceLB': {
      const vip = await selectOne<{ address: string }>(
        db,
        `SELECT host(address) AS address FROM fabric_addresses WHERE owner_id = $1`,
        [row.id],
      );
      // Providers are endpoints matched by label selectors; endpoints here carry no labels.
      return { serviceVip: vip?.address ?? '', numProviders: 0, providers: [] };
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
