import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deployments, their instances and their event log. */
export class Deployments1764500000000 implements MigrationInterface {
  name = 'Deployments1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE deployments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        name varchar(64) NOT NULL,
        state varchar(16) NOT NULL,
        seq int NOT NULL DEFAULT 0,
        step varchar(32) NOT NULL,
        blueprint_name varchar(64) NOT NULL,
        blueprint_version varchar(64) NOT NULL,
        blueprint jsonb NOT NULL,
        parameters jsonb NOT NULL,
        secret_key_id varchar(32),
        secret_data text,
        placement jsonb NOT NULL,
        plan jsonb NOT NULL,
        networks jsonb NOT NULL DEFAULT '{}',
        outputs jsonb NOT NULL DEFAULT '{}',
        failure jsonb,
        rollback_on_failure boolean NOT NULL DEFAULT true,
        lease_hours int,
        requested_by uuid,
        idempotency_key varchar(200),
        request_hash char(64),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        running_at timestamptz,
        ended_at timestamptz
      )`);
    await db.query(`CREATE INDEX deployments_tenant_created ON deployments (tenant_id, created_at, id)`);
    await db.query(
      `CREATE UNIQUE INDEX deployments_idempotency ON deployments (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE deployment_instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        tier varchar(64) NOT NULL,
        index int NOT NULL,
        environment varchar(64) NOT NULL,
        provider varchar(16) NOT NULL,
        idempotency_key varchar(100) NOT NULL UNIQUE,
        cloud_id varchar(200),
        address varchar(64),
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (deployment_id, tier, index)
      )`);
    await db.query(`
      CREATE TABLE deployment_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await db.query(`CREATE INDEX deployment_events_deployment ON deployment_events (deployment_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE deployment_events`);
    await db.query(`DROP TABLE deployment_instances`);
    await db.query(`DROP TABLE deployments`);
  }
}
