import type { Principal } from '../auth/principal.js';
import type { TenantsService } from '../tenants/tenants.service.js';

/** The tenant a governance call is about. */
export interface GovernedTenant {
  id: string;
  name: string;
}

/**
 * The tenant named by `?tenant=` or a body's `tenant` (admins: any; others: only their own,
 * another is a 404 as everywhere), or the caller's own when it is left out or null.
 */
export async function governedTenant(
  tenants: TenantsService,
  caller: Principal,
  name: string | null | undefined,
): Promise<GovernedTenant> {
  if (name === undefined || name === null || name === caller.tenantName)
    return { id: caller.tenantId, name: caller.tenantName };
  const tenant = await tenants.get(caller, name);
  return { id: tenant.id, name: tenant.name };
}
