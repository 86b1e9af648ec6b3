import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the reconciler needs: per cloud account, whether it may remove orphans (instances tagged as
 * Switchyard's that no deployment owns), and the orphans it found, kept until they are gone.
 */
export class Reconcile1764700000000 implements MigrationInterface {
  name = 'Reconcile1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE cloud_accounts ADD COLUMN remove_orphans boolean NOT NULL DEFAULT false`);
    await db.query(`
      CREATE TABLE cloud_orphans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES cloud_accounts(id) ON DELETE CASCADE,
        environment varchar(64) NOT NULL,
        cloud_id varchar(200) NOT NULL,
        name varchar(255) NOT NULL,
        state varchar(16) NOT NULL,
        tags jsonb NOT NULL,
        reason varchar(200) NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        CONSTRAINT cloud_orphans_account_cloud_id UNIQUE (account_id, cloud_id)
      )`);
    await db.query(`CREATE INDEX cloud_orphans_tenant ON cloud_orphans (tenant_id, last_seen_at DESC)`);
    // the reconciler looks for leases that ran out among settled deployments
    await db.query(
      `CREATE INDEX deployments_lease ON deployments (created_at) WHERE lease_hours IS NOT NULL AND state IN ('running', 'stopped')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX deployments_lease`);
    await db.query(`DROP TABLE cloud_orphans`);
    await db.query(`ALTER TABLE cloud_accounts DROP COLUMN remove_orphans`);
  }
}
