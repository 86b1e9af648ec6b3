/**
 * Which tenants a call may touch: always its tenant id, and every tenant when `anyTenant` (an
 * admin's call). Repositories take it as a required argument, so no query forgets the tenant.
 * The API derives it from the caller (tenantScope); work nobody asked for in person (a job, the
 * seeding) names its tenant with tenantOnly.
 */
export interface TenantScope {
  readonly tenantId: string;
  readonly anyTenant: boolean;
}

/** Whether a row of this tenant is inside the scope. */
export function inScope(scope: TenantScope, tenantId: string): boolean {
  return scope.anyTenant || scope.tenantId === tenantId;
}

/** The scope of one tenant, for work done in it on nobody's request. */
export function tenantOnly(tenantId: string): TenantScope {
  return { tenantId, anyTenant: false };
}

/**
 * Every tenant, acting for none: the start-up seeding looking for tenant `default`. Its tenant
 * id is the nil uuid, which no row has.
 */
export const SYSTEM_SCOPE: TenantScope = {
  tenantId: '00000000-0000-0000-0000-000000000000',
  anyTenant: true,
};
