import { FabricError, type FieldIssue } from '../errors/fabric.exception.js';
import { countAddressesByKind, countGroupAddresses } from '../ipam/ipam.repository.js';
import {
  type ObjectKind,
  OBJECT_SPECS,
  TENANT_OBJECT_KINDS,
  type TenantObjectKind,
} from '../model/objects.model.js';
import { referenceFields } from '../model/validate.util.js';
import { countByKind, findObject, findReferencing, type TenantRow } from '../store/config.repository.js';
import { type Db, selectOne } from '../store/db.util.js';

// Rules of reference: what an object needs to exist, and what keeps it from being deleted.

/** Every reference field naming an object missing from the tenant, reported at once. */
export async function checkReferences(
  db: Db,
  tenant: TenantRow,
  kind: ObjectKind,
  obj: object,
): Promise<void> {
  const record = obj as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const { field, ref, list } of referenceFields(kind)) {
    const value = record[field];
    const names = list ? (value as string[]) : value === '' ? [] : [value as string];
    for (const [i, name] of names.entries()) {
      if (!(await findObject(db, tenant.id, ref as TenantObjectKind, name))) {
        const path = list ? `${field}[${i}]` : field;
        issues.push({ path, message: `${ref} "${name}" does not exist in tenant "${tenant.name}"` });
      }
    }
  }
  if (issues.length > 0) throw FabricError.invalid(issues, kind);
}

/** A group may not share a network's name in the same tenant, nor the other way round. */
export async function checkNameClash(
  db: Db,
  tenant: TenantRow,
  kind: ObjectKind,
  name: string,
): Promise<void> {
  const other = kind === 'network' ? 'endpointGroup' : kind === 'endpointGroup' ? 'network' : undefined;
  if (other && (await findObject(db, tenant.id, other, name))) {
    const field = kind === 'network' ? 'networkName' : 'groupName';
    const message = `${other === 'network' ? 'a network' : 'an endpoint group'} named "${name}" exists in tenant "${tenant.name}"`;
    throw FabricError.conflict(message, { issues: [{ path: field, message }] });
  }
}

/** Dependents of an object, by label (zero counts left out); rules of a policy go with it. */
export async function dependentsOf(
  db: Db,
  tenant: TenantRow,
  kind: TenantObjectKind,
  row: { id: string; name: string },
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const add = (label: string, n: number) => {
    if (n > 0) out[label] = (out[label] ?? 0) + n;
  };
  for (const other of TENANT_OBJECT_KINDS) {
    for (const { field, ref, list } of referenceFields(other)) {
      if (ref !== kind || (other === 'rule' && field === 'policyName')) continue;
      const users = await findReferencing(db, tenant.id, other, field, row.name, list);
      add(OBJECT_SPECS[other].label, users.length);
    }
  }
  if (kind === 'network') {
    if (tenant.default_network === row.name) add('tenants (as defaultNetwork)', 1);
    const addresses = await countAddressesByKind(db, row.id);
    add('endpoints', await countEndpoints(db, 'network_id', row.id));
    add('allocated addresses', addresses.address ?? 0);
  }
  if (kind === 'endpointGroup') {
    add('endpoints', await countEndpoints(db, 'group_id', row.id));
    add('allocated addresses', await countGroupAddresses(db, row.id));
  }
  return out;
}

async function countEndpoints(db: Db, column: 'group_id' | 'network_id', id: string): Promise<number> {
  const row = await selectOne<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM fabric_endpoints WHERE ${column} = $1`,
    [id],
  );
  return row?.n ?? 0;
}

/** What a tenant still holds, by label. */
export async function tenantContents(db: Db, tenant: TenantRow): Promise<Record<string, number>> {
  const counts = await countByKind(db, tenant.id);
  const out: Record<string, number> = {};
  for (const kind of TENANT_OBJECT_KINDS) {
    const n = counts[kind] ?? 0;
    if (n > 0) out[OBJECT_SPECS[kind].label] = n;
  }
  const endpoints = await selectOne<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM fabric_endpoints WHERE tenant_id = $1`,
    [tenant.id],
  );
  if ((endpoints?.n ?? 0) > 0) out['endpoints'] = endpoints?.n ?? 0;
  return out;
}
