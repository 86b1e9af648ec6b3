import { FabricError, isClusterKind, type ObjectKind } from '@switchyard/network-fabric';
import { hasRole, type Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';

// Who may do what in the fabric:
// - members read their tenant's objects; operators also change them; admins do anything anywhere;
// - global and bgp (shared by every tenant) and creating or deleting tenants are admin-only;
// - another tenant's object is "not found", never "forbidden", so its existence is not revealed.

/**
 * The tenant's objects are invisible to the caller unless they are in its scope: its own tenant
 * (the fabric names tenants, as Contiv does), or every tenant.
 */
export function canSeeFabricTenant(caller: Principal, tenant: string): boolean {
  return tenantScope(caller).anyTenant || caller.tenantName === tenant;
}

/** The tenants (by name) whose objects a caller's lists show; null for every tenant. */
export function visibleFabricTenants(caller: Principal): string[] | null {
  return tenantScope(caller).anyTenant ? null : [caller.tenantName];
}

/** 404 for another tenant's object, phrased like the fabric's own "does not exist". */
export function assertVisible(caller: Principal, tenant: string, what: string): void {
  if (!canSeeFabricTenant(caller, tenant)) throw FabricError.notFound(`${what} does not exist`);
}

/** 403 unless the caller's role may change objects of this kind (members never may). */
export function assertMayChange(caller: Principal, kind: ObjectKind | 'address' | 'endpoint'): void {
  const needed = kind !== 'address' && kind !== 'endpoint' && isClusterKind(kind) ? 'admin' : 'operator';
  if (!hasRole(caller.role, needed)) {
    throw new AppException(
      ErrorCode.Forbidden,
      `Changing the fabric's ${kind} needs the ${needed} role; the token has ${caller.role}`,
    );
  }
}

/** Creating or deleting a tenant adds or removes a Switchyard tenant: admins only. */
export function assertMayManageTenants(caller: Principal): void {
  if (!hasRole(caller.role, 'admin')) {
    throw new AppException(
      ErrorCode.Forbidden,
      `Creating or deleting a tenant needs the admin role; the token has ${caller.role}`,
    );
  }
}
