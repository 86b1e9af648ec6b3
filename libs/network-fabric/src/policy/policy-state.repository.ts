import type { EndpointGroupConfig, NetworkConfig, RuleConfig } from '../model/objects.model.js';
import { parseIPv4 } from '../addressing/ip.util.js';
import { compilePolicyState } from './compiled-policy.util.js';
import type { PolicyState, VerdictQuery } from './policy.types.js';
import { resolveParty } from './verdict.util.js';
import { type Db, select } from '../store/db.util.js';

type Group = PolicyState['groups'][number];

/**
 * The part of a tenant's policy state that can decide `query`, read with indexed look-ups instead
 * of the whole tenant: the tenant's networks (few), the groups named by the query or holding an
 * address pool, the endpoints with the queried addresses and their groups, and only the rules of
 * the policies attached to the two parties' groups. `verdict()` on it answers exactly as on the
 * whole state, because these are all it reads for this query.
 */
export async function loadPolicyStateFor(
  db: Db,
  tenantId: string,
  query: VerdictQuery,
): Promise<PolicyState> {
  const texts = [query.from, query.to];
  const networks = await configs<NetworkConfig>(
    db,
    `SELECT config FROM fabric_objects WHERE tenant_id = $1 AND kind = 'network'`,
    [tenantId],
  );
  const groups = await configs<EndpointGroupConfig>(
    db,
    `SELECT config FROM fabric_objects WHERE tenant_id = $1 AND kind = 'endpointGroup'
        AND (name = ANY($2) OR coalesce(config->>'ipPool', '') <> '')`,
    [tenantId, texts],
  );
  const addresses = texts.filter((t) => parseIPv4(t) !== undefined);
  const endpoints = addresses.length
    ? await select<PolicyState['endpoints'][number]>(
        db,
        `SELECT host(e.ipv4) AS "ipAddress", coalesce(g.name, '') AS "groupName", n.name AS "networkName"
           FROM fabric_endpoints e JOIN fabric_objects n ON n.id = e.network_id
           LEFT JOIN fabric_objects g ON g.id = e.group_id
          WHERE e.tenant_id = $1 AND host(e.ipv4) = ANY($2)`,
        [tenantId, addresses],
      )
    : [];
  const known = new Set(groups.map((g) => g.groupName));
  const missing = [...new Set(endpoints.map((e) => e.groupName))].filter((g) => g && !known.has(g));
  if (missing.length) {
    groups.push(
      ...(await configs<EndpointGroupConfig>(
        db,
        `SELECT config FROM fabric_objects WHERE tenant_id = $1 AND kind = 'endpointGroup' AND name = ANY($2)`,
        [tenantId, missing],
      )),
    );
  }
  const partial: PolicyState = { networks, groups, endpoints, rules: [] };
  const compiled = compilePolicyState(partial);
  const parties = [resolveParty(compiled, query.from, 'from'), resolveParty(compiled, query.to, 'to')];
  const policies = parties.flatMap(
    (p) => (groups.find((g: Group) => g.groupName === p.group)?.policies ?? []) as string[],
  );
  const rules = policies.length
    ? await configs<RuleConfig>(
        db,
        `SELECT config FROM fabric_objects
          WHERE tenant_id = $1 AND kind = 'rule' AND config->>'policyName' = ANY($2)`,
        [tenantId, [...new Set(policies)]],
      )
    : [];
  return { ...partial, rules };
}

async function configs<T>(db: Db, sql: string, params: unknown[]): Promise<T[]> {
  return (await select<{ config: T }>(db, sql, params)).map((r) => r.config);
}
