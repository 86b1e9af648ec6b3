import type { DeploymentEntity } from '@switchyard/core/deployments';
import type { Principal } from '../auth/principal.js';

/**
 * Who may act on a deployment (stop, start, restart, scale, terminate): admins on any; operators
 * on their tenant's; members only on those they ordered. Reading stays open to the whole tenant
 * (people see what shares their environments); acting does not.
 */
export function mayActOnDeployment(
  caller: Principal,
  d: Pick<DeploymentEntity, 'tenantId' | 'requestedBy'>,
): boolean {
  if (caller.role === 'admin') return true;
  if (d.tenantId !== caller.tenantId) return false;
  return caller.role === 'operator' || d.requestedBy === caller.userId;
}
