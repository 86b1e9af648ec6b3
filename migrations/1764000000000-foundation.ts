import type { MigrationInterface, QueryRunner } from 'typeorm';

// Timestamps are kept to the millisecond so that list cursors (which carry them through JavaScript
// dates) compare exactly.

/** Tenants, users, API tokens, the audit log, admin self-checks and the worker's job ledger. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(64) NOT NULL UNIQUE,
        display_name varchar(200) NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        name varchar(64) NOT NULL,
        email varchar(320),
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'operator', 'member')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (tenant_id, name)
      )`);
    await db.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'operator', 'member')),
        token_hash char(64) NOT NULL UNIQUE,
        hint varchar(12) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_tokens_tenant_created ON api_tokens (tenant_id, created_at, id)`);
    await db.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        actor_user_id uuid,
        actor_token_id uuid,
        actor_name varchar(100) NOT NULL,
        action varchar(100) NOT NULL,
        resource_type varchar(64) NOT NULL,
        resource_id varchar(200) NOT NULL,
        before jsonb,
        after jsonb,
        request_id varchar(100),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await db.query(`CREATE INDEX audit_log_tenant_created ON audit_log (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id)`);
    await db.query(`
      CREATE TABLE self_checks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        status varchar(16) NOT NULL CHECK (status IN ('queued', 'passed', 'degraded', 'failed')),
        result jsonb,
        worker_id varchar(200),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        completed_at timestamptz
      )`);
    await db.query(`CREATE INDEX self_checks_tenant_created ON self_checks (tenant_id, created_at, id)`);
    await db.query(`
      CREATE TABLE job_executions (
        queue varchar(64) NOT NULL,
        job_id varchar(200) NOT NULL,
        name varchar(64) NOT NULL,
        worker_id varchar(200) NOT NULL,
        attempt int NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (queue, job_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['job_executions', 'self_checks', 'audit_log', 'api_tokens', 'users', 'tenants']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
