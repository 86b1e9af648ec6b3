import { FabricError } from '../errors/fabric.exception.js';
import type { BgpConfig } from '../model/objects.model.js';
import { type Db, select, selectOne } from './db.util.js';

// Config state of Contiv's `Bgps`: one JSON document per host, outside every tenant.

export async function findBgp(db: Db, hostname: string, lock = false): Promise<BgpConfig | undefined> {
  const row = await selectOne<{ config: BgpConfig }>(
    db,
    `SELECT config FROM fabric_bgps WHERE hostname = $1${lock ? ' FOR UPDATE' : ''}`,
    [hostname],
  );
  return row?.config;
}

export async function requireBgp(db: Db, hostname: string): Promise<BgpConfig> {
  const found = await findBgp(db, hostname);
  if (!found) throw FabricError.notFound(`BGP settings for host "${hostname}" do not exist`);
  return found;
}

export async function listBgps(db: Db): Promise<BgpConfig[]> {
  const rows = await select<{ config: BgpConfig }>(db, `SELECT config FROM fabric_bgps ORDER BY hostname`);
  return rows.map((r) => r.config);
}

/** Inserts or replaces; answers whether the host had none before. */
export async function upsertBgp(db: Db, config: BgpConfig): Promise<boolean> {
  const rows = await select<{ inserted: boolean }>(
    db,
    `INSERT INTO fabric_bgps (hostname, config) VALUES ($1, $2)
     ON CONFLICT (hostname) DO UPDATE SET config = EXCLUDED.config, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [config.hostname, JSON.stringify(config)],
  );
  return rows[0]?.inserted ?? false;
}

export async function deleteBgp(db: Db, hostname: string): Promise<void> {
  const rows = await select(db, `DELETE FROM fabric_bgps WHERE hostname = $1 RETURNING hostname`, [hostname]);
  if (rows.length === 0) throw FabricError.notFound(`BGP settings for host "${hostname}" do not exist`);
}

/** Contiv's BgpOper, saying plainly that nothing runs BGP here. */
export function bgpOper(): Record<string, unknown> {
  return {
    adminStatus: 'not configured',
    neighborStatus: 'none',
    numRoutes: 0,
    routes: [],
    note: 'Switchyard stores BGP settings for netctl scripts but runs no BGP speaker: they configure nothing',
  };
}
