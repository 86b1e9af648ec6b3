import type { MigrationInterface, QueryRunner } from 'typeorm';

const NOW = `timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())`;

/**
 * Governance, first half: approval rules and the approvals they open (a deployment waits in
 * `awaiting-approval`, a state name longer than the column allowed), webhook subscriptions and
 * their delivery log, the admin's list of internal targets webhooks may reach, and per-tenant
 * entitlements (null lists: everything allowed).
 */
export class ApprovalsWebhooksEntitlements1765400000000 implements MigrationInterface {
  name = 'ApprovalsWebhooksEntitlements1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE deployments ALTER COLUMN state TYPE varchar(32)`);
    await db.query(`
      CREATE TABLE approval_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name varchar(64) NOT NULL,
        monthly_cost_above numeric(14, 2),
        monthly_cost_currency char(3),
        environments text[],
        blueprints text[],
        expires_after_minutes int NOT NULL,
        created_at ${NOW},
        updated_at ${NOW},
        UNIQUE (tenant_id, name)
      )`);
    await db.query(`CREATE INDEX approval_rules_list ON approval_rules (tenant_id, created_at, id)`);
    await db.query(`
      CREATE TABLE approvals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        deployment_id uuid NOT NULL UNIQUE REFERENCES deployments(id) ON DELETE CASCADE,
        state varchar(16) NOT NULL,
        reasons jsonb NOT NULL,
        requested_by uuid,
        requested_by_name varchar(200) NOT NULL,
        monthly_cost jsonb NOT NULL,
        expires_at timestamptz NOT NULL,
        decided_by uuid,
        decided_by_name varchar(200),
        decision_reason text,
        decided_at timestamptz,
        created_at ${NOW},
        updated_at ${NOW}
      )`);
    await db.query(`CREATE INDEX approvals_list ON approvals (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX approvals_due ON approvals (expires_at) WHERE state = 'pending'`);
    await db.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        url text NOT NULL,
        event_types text[] NOT NULL,
        secret_key_id varchar(32) NOT NULL,
        secret_data text NOT NULL,
        secret_hint varchar(16) NOT NULL,
        created_at ${NOW},
        updated_at ${NOW}
      )`);
    await db.query(
      `CREATE INDEX webhook_subscriptions_list ON webhook_subscriptions (tenant_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        log jsonb NOT NULL DEFAULT '[]',
        last_status_code int,
        last_error text,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at ${NOW},
        updated_at ${NOW}
      )`);
    await db.query(
      `CREATE INDEX webhook_deliveries_list ON webhook_deliveries (subscription_id, created_at, id)`,
    );
    await db.query(`
      CREATE TABLE webhook_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        allowed_targets text[] NOT NULL DEFAULT '{}',
        updated_at ${NOW}
      )`);
    await db.query(`INSERT INTO webhook_settings (id) VALUES (true)`);
    await db.query(`
      CREATE TABLE tenant_entitlements (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        blueprints text[],
        environments text[],
        updated_at ${NOW}
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'tenant_entitlements',
      'webhook_settings',
      'webhook_deliveries',
      'webhook_subscriptions',
      'approvals',
      'approval_rules',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    // deployments that never ran leave with the states they had
    await db.query(`DELETE FROM deployments WHERE state IN ('awaiting-approval', 'rejected', 'expired')`);
    await db.query(`ALTER TABLE deployments ALTER COLUMN state TYPE varchar(16)`);
  }
}
