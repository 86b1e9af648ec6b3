import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cloud accounts (credentials sealed at rest) and environments with their price lists. */
export class Clouds1764300000000 implements MigrationInterface {
  name = 'Clouds1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cloud_accounts (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        name varchar(64) NOT NULL,
        provider varchar(16) NOT NULL CHECK (provider IN ('aws-ec2', 'openstack', 'vsphere')),
        description varchar(500) NOT NULL DEFAULT '',
        simulated boolean NOT NULL DEFAULT false,
        settings jsonb NOT NULL,
        secret_key_id varchar(32) NOT NULL,
        secret_data text NOT NULL,
        masked_credentials jsonb NOT NULL,
        last_test jsonb,
        inventory jsonb,
        synced_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (tenant_id, name)
      )`);
    await db.query(
      `CREATE INDEX cloud_accounts_tenant_created ON cloud_accounts (tenant_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE environments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        name varchar(64) NOT NULL,
        title varchar(200) NOT NULL DEFAULT '',
        shared boolean NOT NULL DEFAULT false,
        account_id uuid NOT NULL REFERENCES cloud_accounts(id) ON DELETE RESTRICT,
        region varchar(64) NOT NULL DEFAULT '',
        placement jsonb NOT NULL DEFAULT '{}',
        images jsonb NOT NULL DEFAULT '[]',
        price_list jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (tenant_id, name)
      )`);
    await db.query(`CREATE INDEX environments_tenant_created ON environments (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX environments_account ON environments (account_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE environments`);
    await db.query(`DROP TABLE cloud_accounts`);
  }
}
