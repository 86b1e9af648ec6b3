import { parseSubnet, formatSubnetBlock } from '../addressing/subnet.util.js';
import { FabricError } from '../errors/fabric.exception.js';
import type { EndpointGroupConfig, NetworkConfig, RuleConfig } from '../model/objects.model.js';
import { findObject, listObjects, type TenantRow } from '../store/config.repository.js';
import { type Db, select } from '../store/db.util.js';
import { type CompiledSecurityRules, compileSecurityRules } from './security-rules.util.js';

/**
 * A stored policy compiled for cloud security groups: its rules in the order they were added, each
 * group or network peer resolved to its network's address block. NOT_FOUND when there is no policy.
 */
export async function compilePolicy(
  db: Db,
  tenant: TenantRow,
  policy: string,
): Promise<CompiledSecurityRules> {
  if (!(await findObject(db, tenant.id, 'policy', policy))) {
    throw FabricError.notFound(`policy "${policy}" does not exist in tenant "${tenant.name}"`);
  }
  const rules = (
    await select<{ config: RuleConfig }>(
      db,
      `SELECT config FROM fabric_objects WHERE tenant_id = $1 AND kind = 'rule' AND config->>'policyName' = $2
        ORDER BY id`,
      [tenant.id, policy],
    )
  ).map((r) => r.config);
  const networks = new Map<string, string>();
  for (const row of await listObjects(db, tenant.id, 'network')) {
    const parsed = parseSubnet((row.config as unknown as NetworkConfig).subnet);
    if (parsed.ok) networks.set(row.name, formatSubnetBlock(parsed.value));
  }
  const groups = new Map<string, string>();
  for (const row of await listObjects(db, tenant.id, 'endpointGroup')) {
    const block = networks.get((row.config as unknown as EndpointGroupConfig).networkName);
    if (block) groups.set(row.name, block);
  }
  return compileSecurityRules(rules, { groups, networks });
}
