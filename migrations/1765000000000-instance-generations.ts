import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tier scaled down and up again gets new instances at the indexes it freed: a new row each,
 * beside the removed instance's row (kept, terminated, for the cost it ran up). So a tier and
 * index is unique among the instances not terminated only.
 */
export class InstanceGenerations1765000000000 implements MigrationInterface {
  name = 'InstanceGenerations1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE deployment_instances DROP CONSTRAINT deployment_instances_deployment_id_tier_index_key`,
    );
    await db.query(
      `CREATE UNIQUE INDEX deployment_instances_live_index ON deployment_instances (deployment_id, tier, index)
        WHERE state <> 'terminated'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    // every index keeps its oldest row
    await db.query(`
      DELETE FROM deployment_instances i USING deployment_instances older
       WHERE older.deployment_id = i.deployment_id AND older.tier = i.tier AND older.index = i.index
         AND older.created_at < i.created_at`);
    await db.query(`DROP INDEX deployment_instances_live_index`);
    await db.query(
      `ALTER TABLE deployment_instances ADD CONSTRAINT deployment_instances_deployment_id_tier_index_key
        UNIQUE (deployment_id, tier, index)`,
    );
  }
}
