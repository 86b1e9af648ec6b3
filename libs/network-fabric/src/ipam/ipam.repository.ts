import { type Db, select, selectOne } from '../store/db.util.js';
import { formatIp, parseIp } from '../addressing/ip.util.js';
import type { Span } from '../addressing/subnet.util.js';

export type AddressKind = 'gateway' | 'address' | 'endpoint' | 'vip';

export interface AddressRow {
  address: bigint;
  kind: AddressKind;
  groupId: string | null;
}

export interface NewAddress {
  networkId: string;
  family: 4 | 6;
  value: bigint;
  kind: AddressKind;
  groupId?: string | null;
  ownerId?: string | null;
}

// Operational state: fabric_addresses. Callers hold the network row lock, so the lowest free
// address they read cannot be taken by another transaction before they insert it.

/**
 * The lowest address in `span` that is neither taken in the network nor inside a hole: the first
 * candidate among span start, each taken address + 1 and each hole end + 1 (gaps start there).
 */
export async function lowestFree(
  db: Db,
  networkId: string,
  family: 4 | 6,
  span: Span,
  holes: readonly Span[],
): Promise<bigint | undefined> {
  const row = await selectOne<{ address: string }>(
    db,
    `WITH taken AS (
       SELECT address FROM fabric_addresses WHERE network_id = $1 AND family(address) = $2
     ), holes AS (
       SELECT s::inet AS s, e::inet AS e FROM unnest($5::text[], $6::text[]) AS h(s, e)
     ), candidates AS (
       SELECT $3::inet AS c
       UNION ALL SELECT address + 1 FROM taken WHERE address >= $3::inet AND address < $4::inet
       UNION ALL SELECT e + 1 FROM holes WHERE e >= $3::inet AND e < $4::inet
     )
     SELECT host(c) AS address FROM candidates
      WHERE c >= $3::inet AND c <= $4::inet
        -- the primary key (network_id, address) answers this; the materialized CTE would be a scan
        AND NOT EXISTS (SELECT 1 FROM fabric_addresses t WHERE t.network_id = $1 AND t.address = c)
        AND NOT EXISTS (SELECT 1 FROM holes h WHERE c BETWEEN h.s AND h.e)
      ORDER BY c LIMIT 1`,
    [
      networkId,
      family,
      formatIp(family, span.start),
      formatIp(family, span.end),
      holes.map((h) => formatIp(family, h.start)),
      holes.map((h) => formatIp(family, h.end)),
    ],
  );
  return row ? parseIp(row.address)?.value : undefined;
}

/** Inserts the address unless taken; answers whether it was inserted. */
export async function insertAddress(db: Db, a: NewAddress): Promise<boolean> {
  const rows = await select<{ network_id: string }>(
    db,
    `INSERT INTO fabric_addresses (network_id, address, kind, group_id, owner_id) VALUES ($1, $2::inet, $3, $4, $5)
     ON CONFLICT (network_id, address) DO NOTHING RETURNING network_id`,
    [a.networkId, formatIp(a.family, a.value), a.kind, a.groupId ?? null, a.ownerId ?? null],
  );
  return rows.length === 1;
}

/** Deletes the address (not the gateway); answers the row that was released, if any. */
export async function deleteAddress(
  db: Db,
  networkId: string,
  family: 4 | 6,
  value: bigint,
): Promise<{ kind: AddressKind } | undefined> {
  return selectOne<{ kind: AddressKind }>(
    db,
    `WITH d AS (DELETE FROM fabric_addresses WHERE network_id = $1 AND address = $2::inet AND kind <> 'gateway'
       RETURNING kind) SELECT kind FROM d`,
    [networkId, formatIp(family, value)],
  );
}

export async function findAddress(
  db: Db,
  networkId: string,
  family: 4 | 6,
  value: bigint,
): Promise<{ kind: AddressKind; group_id: string | null } | undefined> {
  return selectOne(
    db,
    `SELECT kind, group_id FROM fabric_addresses WHERE network_id = $1 AND address = $2::inet`,
    [networkId, formatIp(family, value)],
  );
}

/** Addresses of one family in the network, ascending. */
export async function listAddresses(db: Db, networkId: string, family: 4 | 6): Promise<AddressRow[]> {
  const rows = await select<{ address: string; kind: AddressKind; group_id: string | null }>(
    db,
    `SELECT host(address) AS address, kind, group_id FROM fabric_addresses
      WHERE network_id = $1 AND family(address) = $2 ORDER BY address`,
    [networkId, family],
  );
  return rows.map((r) => ({ address: parseIp(r.address)?.value ?? 0n, kind: r.kind, groupId: r.group_id }));
}

/** Addresses taken in the network besides gateways, per kind (dependents of a network). */
export async function countAddressesByKind(db: Db, networkId: string): Promise<Record<string, number>> {
  const rows = await select<{ kind: string; n: number }>(
    db,
    `SELECT kind, count(*)::int AS n FROM fabric_addresses WHERE network_id = $1 AND kind <> 'gateway' GROUP BY kind`,
    [networkId],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

export async function countGroupAddresses(db: Db, groupId: string): Promise<number> {
  const row = await selectOne<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM fabric_addresses WHERE group_id = $1 AND kind = 'address'`,
    [groupId],
  );
  return row?.n ?? 0;
}
