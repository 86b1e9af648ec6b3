import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contiv's per-host BGP settings (`Bgps`, keyed by host name, outside every tenant). Stored and
 * listed for netctl scripts; Switchyard runs no BGP speaker, so nothing reads them to act.
 */
export class FabricBgps1764910000000 implements MigrationInterface {
  name = 'FabricBgps1764910000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE fabric_bgps (
        hostname varchar(256) PRIMARY KEY,
        config jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE fabric_bgps`);
  }
}
