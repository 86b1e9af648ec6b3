import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance: quotas per tenant and per environment of a tenant, with the reservations that count
 * against them (one row per deployment and environment, changed in the transaction of the
 * deployment's own change); monthly budgets and the alerts sent; lease limits and the warnings
 * sent; placement policies, the decisions they explain, and environment tags they match.
 */
export class Governance1765300000000 implements MigrationInterface {
  name = 'Governance1765300000000';

  async up(db: QueryRunner): Promise<void> {
    // environment '' is the tenant's whole quota; a name, that environment's part of it
    await db.query(`
      CREATE TABLE quotas (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        environment varchar(64) NOT NULL DEFAULT '',
        max_instances integer CHECK (max_instances >= 0),
        max_vcpus integer CHECK (max_vcpus >= 0),
        max_memory_mib bigint CHECK (max_memory_mib >= 0),
        max_monthly_cost numeric(24, 10) CHECK (max_monthly_cost >= 0),
        currency char(3),
        updated_by varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (tenant_id, environment),
        CHECK ((max_monthly_cost IS NULL) = (currency IS NULL))
      )`);
    await db.query(`
      CREATE TABLE quota_reservations (
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        environment varchar(64) NOT NULL,
        instances integer NOT NULL CHECK (instances >= 0),
        vcpus integer NOT NULL CHECK (vcpus >= 0),
        memory_mib bigint NOT NULL CHECK (memory_mib >= 0),
        monthly_cost numeric(24, 10) NOT NULL CHECK (monthly_cost >= 0),
        currency char(3) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (deployment_id, environment)
      )`);
    await db.query(`CREATE INDEX quota_reservations_tenant ON quota_reservations (tenant_id, environment)`);

    await db.query(`
      CREATE TABLE budgets (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        monthly_amount numeric(24, 10) NOT NULL CHECK (monthly_amount > 0),
        currency char(3) NOT NULL,
        thresholds integer[] NOT NULL,
        updated_by varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    // one alert per tenant, month, threshold and basis (actual spend, or the month's forecast)
    await db.query(`
      CREATE TABLE budget_alerts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        month date NOT NULL,
        threshold integer NOT NULL,
        basis varchar(16) NOT NULL CHECK (basis IN ('actual', 'forecast')),
        spent numeric(24, 10) NOT NULL,
        budget numeric(24, 10) NOT NULL,
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (tenant_id, month, threshold, basis)
      )`);

    await db.query(`
      CREATE TABLE lease_policies (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        max_lease_hours integer NOT NULL CHECK (max_lease_hours >= 1),
        warn_before_minutes integer NOT NULL CHECK (warn_before_minutes >= 0),
        updated_by varchar(100) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    // the lease end a warning was sent for: an extension moves the end, and warns again
    await db.query(`
      CREATE TABLE lease_warnings (
        deployment_id uuid PRIMARY KEY REFERENCES deployments(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        warned_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);

    await db.query(`ALTER TABLE environments ADD COLUMN tags varchar(64)[] NOT NULL DEFAULT '{}'`);
    await db.query(`
      CREATE TABLE placement_policies (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        rules jsonb NOT NULL,
        updated_by varchar(100) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await db.query(`
      CREATE TABLE placement_decisions (
        deployment_id uuid PRIMARY KEY REFERENCES deployments(id) ON DELETE CASCADE,
        explanation jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE placement_decisions`);
    await db.query(`DROP TABLE placement_policies`);
    await db.query(`ALTER TABLE environments DROP COLUMN tags`);
    await db.query(`DROP TABLE lease_warnings`);
    await db.query(`DROP TABLE lease_policies`);
    await db.query(`DROP TABLE budget_alerts`);
    await db.query(`DROP TABLE budgets`);
    await db.query(`DROP TABLE quota_reservations`);
    await db.query(`DROP TABLE quotas`);
  }
}
