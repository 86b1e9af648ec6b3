import type { TenantScope } from '@switchyard/core/database';
import type { Principal } from './principal.js';

/** The caller's scope: its own tenant, and every tenant for admins. */
export function tenantScope(caller: Principal): TenantScope {
  return { tenantId: caller.tenantId, anyTenant: caller.role === 'admin' };
}

export type { TenantScope } from '@switchyard/core/database';
