import { FabricError } from '../errors/fabric.exception.js';
import type { TenantObjectKind } from '../model/objects.model.js';
import { type Db, select, selectOne } from './db.util.js';

export interface TenantRow {
  id: string;
  name: string;
  default_network: string;
}

export interface ObjectRow {
  id: string;
  tenant_id: string;
  kind: TenantObjectKind;
  name: string;
  config: Record<string, unknown>;
}

// Config state: fabric_objects (one JSON document per object), tenants, fabric_global.

export async function findTenant(db: Db, name: string, lock = false): Promise<TenantRow | undefined> {
  // NO KEY UPDATE: serializes fabric changes per tenant without blocking foreign-key checks elsewhere.
  return selectOne<TenantRow>(
    db,
    `SELECT id, name, default_network FROM tenants WHERE name = $1${lock ? ' FOR NO KEY UPDATE' : ''}`,
    [name],
  );
}

export async function requireTenant(db: Db, name: string, lock = false): Promise<TenantRow> {
  const row = await findTenant(db, name, lock);
  if (!row) throw FabricError.notFound(`tenant "${name}" does not exist`);
  return row;
}

/** The tenant by id (the typed API's key; Contiv's REST API names tenants instead). */
export async function requireTenantById(db: Db, id: string): Promise<TenantRow> {
  const row = await selectOne<TenantRow>(db, `SELECT id, name, default_network FROM tenants WHERE id = $1`, [
    id,
  ]);
  if (!row) throw FabricError.notFound(`tenant ${id} does not exist`);
  return row;
}

export async function listTenants(db: Db): Promise<TenantRow[]> {
  return select<TenantRow>(db, `SELECT id, name, default_network FROM tenants ORDER BY name`);
}

export async function findObject(
  db: Db,
  tenantId: string,
  kind: TenantObjectKind,
  name: string,
  lock = false,
): Promise<ObjectRow | undefined> {
  return selectOne<ObjectRow>(
    db,
    `SELECT id, tenant_id, kind, name, config FROM fabric_objects
      WHERE tenant_id = $1 AND kind = $2 AND name = $3${lock ? ' FOR NO KEY UPDATE' : ''}`,
    [tenantId, kind, name],
  );
}

/** The network row, locked against concurrent allocation; NOT_FOUND when it is gone. */
export async function lockNetwork(db: Db, tenant: TenantRow, name: string): Promise<ObjectRow> {
  const row = await findObject(db, tenant.id, 'network', name, true);
  if (!row) throw FabricError.notFound(`network "${name}" does not exist in tenant "${tenant.name}"`);
  return row;
}

export async function findObjectById(db: Db, id: string): Promise<ObjectRow | undefined> {
  return selectOne<ObjectRow>(
    db,
    `SELECT id, tenant_id, kind, name, config FROM fabric_objects WHERE id = $1`,
    [id],
  );
}

/** Objects of a kind in one tenant, or in all tenants when tenantId is null (admins). */
export async function listObjects(
  db: Db,
  tenantId: string | null,
  kind: TenantObjectKind,
): Promise<ObjectRow[]> {
  return select<ObjectRow>(
    db,
    `SELECT o.id, o.tenant_id, o.kind, o.name, o.config FROM fabric_objects o JOIN tenants t ON t.id = o.tenant_id
      WHERE o.kind = $1 AND ($2::uuid IS NULL OR o.tenant_id = $2) ORDER BY t.name, o.name`,
    [kind, tenantId],
  );
}

export async function insertObject(
  db: Db,
  tenantId: string,
  kind: TenantObjectKind,
  name: string,
  config: object,
): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO fabric_objects (tenant_id, kind, name, config) VALUES ($1, $2, $3, $4) RETURNING id`,
    [tenantId, kind, name, JSON.stringify(config)],
  );
  return row?.id ?? '';
}

export async function updateObject(db: Db, id: string, config: object): Promise<void> {
  await db.query(`UPDATE fabric_objects SET config = $2, updated_at = now() WHERE id = $1`, [
    id,
    JSON.stringify(config),
  ]);
}

export async function deleteObjects(db: Db, ids: string[]): Promise<void> {
  await db.query(`DELETE FROM fabric_objects WHERE id = ANY($1::bigint[])`, [ids]);
}

/** Objects of `kind` in the tenant whose `field` names `value` (lists: contain it). */
export async function findReferencing(
  db: Db,
  tenantId: string,
  kind: TenantObjectKind,
  field: string,
  value: string,
  list: boolean,
): Promise<ObjectRow[]> {
  const probe = JSON.stringify({ [field]: list ? [value] : value });
  return select<ObjectRow>(
    db,
    `SELECT id, tenant_id, kind, name, config FROM fabric_objects
      WHERE tenant_id = $1 AND kind = $2 AND config @> $3::jsonb ORDER BY name`,
    [tenantId, kind, probe],
  );
}

/** Number of objects per kind in a tenant. */
export async function countByKind(db: Db, tenantId: string): Promise<Record<string, number>> {
  const rows = await select<{ kind: string; n: number }>(
    db,
    `SELECT kind, count(*)::int AS n FROM fabric_objects WHERE tenant_id = $1 GROUP BY kind`,
    [tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

export async function readGlobal(db: Db, lock = false): Promise<Record<string, unknown>> {
  const row = await selectOne<{ config: Record<string, unknown> }>(
    db,
    `SELECT config FROM fabric_global WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
  );
  if (!row) throw new Error('fabric_global has no row: is the network-fabric migration applied?');
  return row.config;
}

export async function writeGlobal(db: Db, config: object): Promise<void> {
  await db.query(`UPDATE fabric_global SET config = $1, updated_at = now() WHERE id = 1`, [
    JSON.stringify(config),
  ]);
}
