import type { Principal } from './principal.js';

/**
 * Which tenants a call may touch: always the caller's tenant id, and every tenant for admins.
 * Repositories take it as a required argument, so no query forgets the tenant.
 */
export interface TenantScope {
  readonly tenantId: string;
  readonly anyTenant: boolean;
}

export function tenantScope(caller: Principal): TenantScope {
  return { tenantId: caller.tenantId, anyTenant: caller.role === 'admin' };
}
