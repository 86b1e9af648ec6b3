import type { TenantObjectKind } from '../model/objects.model.js';
import { findReferencing, type ObjectRow, type TenantRow } from '../store/config.repository.js';
import { type Db, select } from '../store/db.util.js';

// Contiv's `link-sets` (objects that point here, by key) and `links` (what this points to), as
// contivModel fills them in; derived from the stored configs, never stored themselves.

type Link = { type: string; key: string } | Record<string, never>;
type LinkSet = Record<string, Link>;

const link = (type: string, key: string): Link => (key === '' ? {} : { type, key });

function linkSet(type: string, tenant: string, names: readonly string[]): LinkSet {
  return Object.fromEntries(names.map((n) => [`${tenant}:${n}`, { type, key: `${tenant}:${n}` }]));
}

/** A tenant's link-sets: every object of each kind in it. */
export async function tenantLinkSets(db: Db, tenant: TenantRow): Promise<Record<string, LinkSet>> {
  const rows = await select<{ kind: TenantObjectKind; name: string }>(
    db,
    `SELECT kind, name FROM fabric_objects WHERE tenant_id = $1 AND kind <> 'rule' ORDER BY name`,
    [tenant.id],
  );
  const of = (kind: TenantObjectKind) => rows.filter((r) => r.kind === kind).map((r) => r.name);
  return {
    AppProfiles: linkSet('appProfile', tenant.name, of('appProfile')),
    EndpointGroups: linkSet('endpointGroup', tenant.name, of('endpointGroup')),
    NetProfiles: linkSet('netprofile', tenant.name, of('netprofile')),
    Networks: linkSet('network', tenant.name, of('network')),
    Policies: linkSet('policy', tenant.name, of('policy')),
    Servicelbs: linkSet('serviceLB', tenant.name, of('serviceLB')),
  };
}

/** The `link-sets` and `links` of one object of a tenant. */
export async function linksOf(
  db: Db,
  tenant: TenantRow,
  kind: TenantObjectKind,
  row: ObjectRow,
): Promise<{ 'link-sets'?: Record<string, LinkSet>; links?: Record<string, Link> }> {
  const t = tenant.name;
  const cfg = row.config;
  const names = async (k: TenantObjectKind, field: string, list = false) =>
    (await findReferencing(db, tenant.id, k, field, row.name, list)).map((r) => r.name);
  const tenantLink = { Tenant: link('tenant', t) };
  switch (kind) {
    case 'network':
      return {
        'link-sets': {
          EndpointGroups: linkSet('endpointGroup', t, await names('endpointGroup', 'networkName')),
          Servicelbs: linkSet('serviceLB', t, await names('serviceLB', 'networkName')),
        },
        links: tenantLink,
      };
    case 'endpointGroup': {
      const rules = [
        ...(await names('rule', 'fromEndpointGroup')),
        ...(await names('rule', 'toEndpointGroup')),
      ];
      const apps = await names('appProfile', 'endpointGroups', true);
      const profile = String(cfg.netProfile ?? '');
      return {
        'link-sets': {
          ExtContractsGrps: linkSet('extContractsGroup', t, (cfg.extContractsGrps as string[]) ?? []),
          MatchRules: linkSet('rule', t, [...new Set(rules)]),
          Policies: linkSet('policy', t, (cfg.policies as string[]) ?? []),
        },
        links: {
          AppProfile: apps[0] ? link('appProfile', `${t}:${apps[0]}`) : {},
          NetProfile: profile ? link('netprofile', `${t}:${profile}`) : {},
          Network: link('network', `${t}:${String(cfg.networkName)}`),
          ...tenantLink,
        },
      };
    }
    case 'policy':
      return {
        'link-sets': {
          EndpointGroups: linkSet('endpointGroup', t, await names('endpointGroup', 'policies', true)),
          Rules: linkSet('rule', t, await names('rule', 'policyName')),
        },
        links: tenantLink,
      };
    case 'rule': {
      const group = String(cfg.fromEndpointGroup || cfg.toEndpointGroup || '');
      return {
        'link-sets': { Policies: linkSet('policy', t, [String(cfg.policyName)]) },
        links: { MatchEndpointGroup: group ? link('endpointGroup', `${t}:${group}`) : {} },
      };
    }
    case 'appProfile':
      return {
        'link-sets': {
          EndpointGroups: linkSet('endpointGroup', t, (cfg.endpointGroups as string[]) ?? []),
        },
        links: tenantLink,
      };
    case 'netprofile':
      return {
        'link-sets': {
          EndpointGroups: linkSet('endpointGroup', t, await names('endpointGroup', 'netProfile')),
        },
        links: tenantLink,
      };
    case 'extContractsGroup':
      return {
        'link-sets': {
          EndpointGroups: linkSet('endpointGroup', t, await names('endpointGroup', 'extContractsGrps', true)),
        },
      };
    case 'serviceLB':
      return { links: { Network: link('network', `${t}:${String(cfg.networkName)}`), ...tenantLink } };
  }
}
