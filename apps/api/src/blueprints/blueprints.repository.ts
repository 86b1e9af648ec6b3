import { Inject, Injectable } from '@nestjs/common';
import type {
  BlueprintContentType,
  BlueprintDocument,
  BlueprintKind,
  VersionState,
} from '@switchyard/blueprints';
import { DataSource, type EntityManager } from 'typeorm';
import { DEFAULT_PAGE_LIMIT, decodeCursor, pageOf, type Page } from '../common/pagination.js';

export interface BlueprintRow {
  id: string;
  tenantId: string;
  name: string;
  kind: BlueprintKind;
  owner: string;
  category: string | null;
  tags: string[];
  title: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRow {
  id: string;
  blueprintId: string;
  tenantId: string;
  version: string;
  state: VersionState;
  source: string;
  contentType: BlueprintContentType;
  document: BlueprintDocument;
  sha256: string;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  deprecatedAt: Date | null;
}

/** A row of the list: the blueprint and the numbers of its published versions. */
export interface ListedBlueprint extends BlueprintRow {
  published: string[];
}

/** A version without its text: what lists and the resolver need. */
export type VersionHead = Omit<VersionRow, 'source' | 'document'>;

export interface BlueprintListFilter {
  q?: string;
  category?: string;
  tag?: string;
  owner?: string;
  kind?: BlueprintKind;
  /** LIKE patterns of the names the tenant is entitled to; null or absent: all. */
  entitled?: string[] | null;
}

export interface BlueprintFields {
  kind: BlueprintKind;
  owner: string;
  category: string | null;
  tags: string[];
  title: string;
  description: string;
}

export interface NewVersion {
  version: string;
  state: VersionState;
  source: string;
  contentType: BlueprintContentType;
  document: BlueprintDocument;
  sha256: string;
}

const BLUEPRINT_COLUMNS = `b.id, b.tenant_id AS "tenantId", b.name, b.kind, b.owner, b.category, b.tags,
  b.title, b.description, b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;
const HEAD_COLUMNS = `v.id, v.blueprint_id AS "blueprintId", v.tenant_id AS "tenantId", v.version, v.state,
  v.content_type AS "contentType", v.sha256, v.created_at AS "createdAt", v.updated_at AS "updatedAt",
  v.published_at AS "publishedAt", v.deprecated_at AS "deprecatedAt"`;
const VERSION_COLUMNS = `${HEAD_COLUMNS}, v.source, v.document`;
const NOW = `date_trunc('milliseconds', now())`;

/**
 * The catalog's SQL. Every method takes the tenant id: a blueprint is only ever read or written
 * inside one tenant. Reading the shared demo catalog is the service's decision (it passes the
 * default tenant's id explicitly), never a fallback here.
 */
@Injectable()
export class BlueprintsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async find(tenantId: string, name: string, em?: EntityManager): Promise<BlueprintRow | undefined> {
    const rows: BlueprintRow[] = await (em ?? this.db).query(
      `SELECT ${BLUEPRINT_COLUMNS} FROM blueprints b WHERE b.tenant_id = $1 AND b.name = $2`,
      [tenantId, name],
    );
    return rows[0];
  }

  /** Creates the blueprint row if missing and locks it: pushes of one name run one at a time. */
  async upsertLocked(
    em: EntityManager,
    tenantId: string,
    name: string,
    fields: BlueprintFields,
  ): Promise<{ row: BlueprintRow; created: boolean }> {
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO blueprints (tenant_id, name, kind, owner, category, tags, title, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id`,
      [tenantId, name, ...fieldValues(fields)],
    );
    const rows: BlueprintRow[] = await em.query(
      `SELECT ${BLUEPRINT_COLUMNS} FROM blueprints b WHERE b.tenant_id = $1 AND b.name = $2 FOR UPDATE`,
      [tenantId, name],
    );
    return { row: rows[0]!, created: inserted.length > 0 };
  }

  async updateFields(
    em: EntityManager,
    tenantId: string,
    id: string,
    fields: BlueprintFields,
  ): Promise<void> {
    await em.query(
      `UPDATE blueprints SET kind = $3, owner = $4, category = $5, tags = $6, title = $7, description = $8,
         updated_at = ${NOW} WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, ...fieldValues(fields)],
    );
  }

  async findVersion(
    em: EntityManager | undefined,
    tenantId: string,
    blueprintId: string,
    version: string,
    lock = false,
  ): Promise<VersionRow | undefined> {
    const rows: VersionRow[] = await (em ?? this.db).query(
      `SELECT ${VERSION_COLUMNS} FROM blueprint_versions v
       WHERE v.tenant_id = $1 AND v.blueprint_id = $2 AND v.version = $3 ${lock ? 'FOR UPDATE' : ''}`,
      [tenantId, blueprintId, version],
    );
    return rows[0];
  }

  async insertVersion(
    em: EntityManager,
    tenantId: string,
    blueprintId: string,
    v: NewVersion,
  ): Promise<VersionRow> {
    const published = v.state === 'published' ? NOW : 'NULL';
    const rows: VersionRow[] = await em.query(
      `INSERT INTO blueprint_versions AS v
         (tenant_id, blueprint_id, version, state, source, content_type, document, sha256, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ${published}) RETURNING ${VERSION_COLUMNS}`,
      [tenantId, blueprintId, v.version, v.state, v.source, v.contentType, v.document, v.sha256],
    );
    return rows[0]!;
  }

  async replaceDraft(em: EntityManager, tenantId: string, id: string, v: NewVersion): Promise<VersionRow> {
    const rows: [VersionRow[], number] = await em.query(
      `UPDATE blueprint_versions AS v SET source = $3, content_type = $4, document = $5, sha256 = $6,
         state = $7, updated_at = ${NOW}, published_at = CASE WHEN $8::boolean THEN ${NOW} END
       WHERE v.tenant_id = $1 AND v.id = $2 AND v.state = 'draft' RETURNING ${VERSION_COLUMNS}`,
      [tenantId, id, v.source, v.contentType, v.document, v.sha256, v.state, v.state === 'published'],
    );
    return rows[0][0]!;
  }

  async setState(
    em: EntityManager,
    tenantId: string,
    id: string,
    state: 'published' | 'deprecated',
  ): Promise<VersionRow> {
    const stamp = state === 'published' ? 'published_at' : 'deprecated_at';
    const rows: [VersionRow[], number] = await em.query(
      `UPDATE blueprint_versions AS v SET state = $3, ${stamp} = ${NOW}, updated_at = ${NOW}
       WHERE v.tenant_id = $1 AND v.id = $2 RETURNING ${VERSION_COLUMNS}`,
      [tenantId, id, state],
    );
    return rows[0][0]!;
  }

  /** Version heads of the given blueprints (all inside `tenantIds`). */
  async versionHeads(tenantIds: string[], blueprintIds: string[]): Promise<VersionHead[]> {
    if (blueprintIds.length === 0) return [];
    return this.db.query(
      `SELECT ${HEAD_COLUMNS} FROM blueprint_versions v
       WHERE v.tenant_id = ANY($1::uuid[]) AND v.blueprint_id = ANY($2::uuid[])`,
      [tenantIds, blueprintIds],
    );
  }

  /** Published and deprecated versions of the named Services in one tenant, with their documents. */
  async serviceVersions(
    tenantId: string,
    names: string[],
  ): Promise<{ name: string; version: string; state: VersionState; document: BlueprintDocument }[]> {
    if (names.length === 0) return [];
    return this.db.query(
      `SELECT b.name, v.version, v.state, v.document FROM blueprints b
       JOIN blueprint_versions v ON v.blueprint_id = b.id AND v.tenant_id = b.tenant_id
       WHERE b.tenant_id = $1 AND b.name = ANY($2::text[]) AND b.kind = 'Service' AND v.state <> 'draft'`,
      [tenantId, names],
    );
  }

  /** Names that exist in a tenant, whatever their kind: they shadow the shared catalog. */
  async existingNames(tenantId: string, names: string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows: { name: string }[] = await this.db.query(
      `SELECT name FROM blueprints WHERE tenant_id = $1 AND name = ANY($2::text[])`,
      [tenantId, names],
    );
    return new Set(rows.map((r) => r.name));
  }

  /**
   * One page of the caller's blueprints plus the shared ones (`sharedTenantId`) it does not
   * shadow by name, in (created_at, id) order, each with its published version numbers.
   */
  async list(
    tenantId: string,
    sharedTenantId: string | undefined,
    f: BlueprintListFilter,
    cursor: string | undefined,
    limit = DEFAULT_PAGE_LIMIT,
  ): Promise<Page<ListedBlueprint>> {
    const after = decodeCursor(cursor); // a cursor it did not write is a 400 before any SQL
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const own = param(tenantId);
    const filters = listFilters(f, param);
    if (after) {
      filters.push(
        `(b.created_at, b.id) > (${param(after.createdAt)}::timestamptz, ${param(after.id)}::uuid)`,
      );
    }
    const take = param(limit + 1);
    const where = filters.map((c) => ` AND ${c}`).join('');
    // "own OR shared" in one WHERE made Postgres read every row of both tenants and sort them;
    // each part alone walks blueprints_tenant_created in order and stops after limit + 1 rows
    const part = (tenant: string, extra = '') =>
      `(SELECT ${BLUEPRINT_COLUMNS} FROM blueprints b WHERE b.tenant_id = ${tenant}${extra}${where}
        ORDER BY b.created_at, b.id LIMIT ${take})`;
    const parts = [part(own)];
    if (sharedTenantId !== undefined && sharedTenantId !== tenantId) {
      parts.push(
        part(
          param(sharedTenantId),
          ` AND NOT EXISTS (SELECT 1 FROM blueprints o WHERE o.tenant_id = ${own} AND o.name = b.name)`,
        ),
      );
    }
    // the published versions of the page's rows only, in the same round trip
    const rows: ListedBlueprint[] = await this.db.query(
      `SELECT l.*, ARRAY(SELECT v.version FROM blueprint_versions v
           WHERE v.tenant_id = l."tenantId" AND v.blueprint_id = l.id AND v.state = 'published') AS published
         FROM (${parts.join(' UNION ALL ')}) l
        ORDER BY l."createdAt", l.id LIMIT ${take}`,
      params,
    );
    return pageOf(rows, limit, (row) => row);
  }
}

/** The list's filters as SQL conditions on `b`, their values added through `param`. */
function listFilters(f: BlueprintListFilter, param: (value: unknown) => string): string[] {
  const conditions: string[] = [];
  if (f.q) {
    const q = param(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(`(b.name ILIKE ${q} OR b.title ILIKE ${q} OR b.description ILIKE ${q})`);
  }
  if (f.category) conditions.push(`b.category = ${param(f.category)}`);
  // @> rather than = ANY: the same rows, and the GIN index blueprints_tags can serve it
  if (f.tag) conditions.push(`b.tags @> ARRAY[${param(f.tag)}::text]`);
  if (f.owner) conditions.push(`b.owner = ${param(f.owner)}`);
  if (f.kind) conditions.push(`b.kind = ${param(f.kind)}`);
  if (f.entitled) conditions.push(`b.name LIKE ANY (${param(f.entitled)}::text[])`);
  return conditions;
}

function fieldValues(f: BlueprintFields): unknown[] {
  return [f.kind, f.owner, f.category, f.tags, f.title, f.description];
}
