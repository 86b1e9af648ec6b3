import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-instance tokens with which a VM's policy-pull script fetches its nftables ruleset
 * (GET /api/v1/guest/ruleset): random, stored as SHA-256 only, scoped to one instance of one
 * deployment's tier (and so to its tenant), revoked when the instance is removed.
 */
export class GuestTokens1765100000000 implements MigrationInterface {
  name = 'GuestTokens1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE guest_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        deployment_id uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        instance_id uuid NOT NULL REFERENCES deployment_instances(id) ON DELETE CASCADE,
        tier varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(
      `CREATE INDEX guest_tokens_instance ON guest_tokens (instance_id) WHERE revoked_at IS NULL`,
    );
    await db.query(`CREATE INDEX guest_tokens_deployment ON guest_tokens (deployment_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE guest_tokens`);
  }
}
