import type { Span } from '../addressing/subnet.util.js';
import { type Db, select, selectOne } from '../store/db.util.js';
import type { TagSpace } from '../addressing/tag-range.util.js';

// Operational state: fabric_tags. Callers hold the fabric_global row lock while allocating.

/** The lowest tag of the space inside `span` that no network holds. */
export async function lowestFreeTag(db: Db, space: TagSpace, span: Span): Promise<number | undefined> {
  const row = await selectOne<{ tag: number }>(
    db,
    `WITH taken AS (SELECT tag FROM fabric_tags WHERE space = $1),
          candidates AS (SELECT $2::int AS c UNION ALL SELECT tag + 1 FROM taken WHERE tag >= $2 AND tag < $3)
     SELECT c AS tag FROM candidates
      WHERE c BETWEEN $2 AND $3 AND NOT EXISTS (SELECT 1 FROM taken t WHERE t.tag = c)
      ORDER BY c LIMIT 1`,
    [space, Number(span.start), Number(span.end)],
  );
  return row?.tag;
}

/** Which network holds the tag, if any. */
export async function tagHolder(db: Db, space: TagSpace, tag: number): Promise<string | undefined> {
  const row = await selectOne<{ holder: string }>(
    db,
    `SELECT t.name || ':' || o.name AS holder FROM fabric_tags f
       JOIN fabric_objects o ON o.id = f.network_id JOIN tenants t ON t.id = o.tenant_id
      WHERE f.space = $1 AND f.tag = $2`,
    [space, tag],
  );
  return row?.holder;
}

export async function insertTag(db: Db, space: TagSpace, tag: number, networkId: string): Promise<void> {
  await db.query(`INSERT INTO fabric_tags (space, tag, network_id) VALUES ($1, $2, $3)`, [
    space,
    tag,
    networkId,
  ]);
}

/** Tags of a space in use, ascending. */
export async function tagsInUse(db: Db, space: TagSpace): Promise<number[]> {
  const rows = await select<{ tag: number }>(
    db,
    `SELECT tag FROM fabric_tags WHERE space = $1 ORDER BY tag`,
    [space],
  );
  return rows.map((r) => r.tag);
}

export async function tagsOfNetwork(db: Db, networkId: string): Promise<Partial<Record<TagSpace, number>>> {
  const rows = await select<{ space: TagSpace; tag: number }>(
    db,
    `SELECT space, tag FROM fabric_tags WHERE network_id = $1`,
    [networkId],
  );
  return Object.fromEntries(rows.map((r) => [r.space, r.tag]));
}

/** Networks per encap across all tenants (global changes are refused while any exist). */
export async function countNetworksByEncap(db: Db): Promise<Record<string, number>> {
  const rows = await select<{ encap: string; n: number }>(
    db,
    `SELECT config->>'encap' AS encap, count(*)::int AS n FROM fabric_objects WHERE kind = 'network' GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.encap, r.n]));
}
