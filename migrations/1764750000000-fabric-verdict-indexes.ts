import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the verdict's targeted reads (libs/network-fabric policy-state.repository.ts): the
 * rules of given policies, and endpoints by address. Without them a verdict read the tenant's
 * whole policy state: 6 verdicts/s at 10,000 rules (bench/fabric.bench.ts).
 */
export class FabricVerdictIndexes1764750000000 implements MigrationInterface {
  name = 'FabricVerdictIndexes1764750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX fabric_objects_rule_policy ON fabric_objects (tenant_id, (config->>'policyName'))
        WHERE kind = 'rule'`,
    );
    await db.query(`CREATE INDEX fabric_endpoints_address ON fabric_endpoints (tenant_id, host(ipv4))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX fabric_endpoints_address`);
    await db.query(`DROP INDEX fabric_objects_rule_policy`);
  }
}
