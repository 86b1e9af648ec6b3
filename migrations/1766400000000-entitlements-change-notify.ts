import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API processes keep each tenant's entitlements in memory (the catalog list reads them on every
 * request). Every change to tenant_entitlements sends a notice on `switchyard_entitlements_changed`
 * when its transaction commits, and every process that listens forgets what it held.
 */
export class EntitlementsChangeNotify1766400000000 implements MigrationInterface {
  name = 'EntitlementsChangeNotify1766400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION switchyard_entitlements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchyard_entitlements_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER tenant_entitlements_changed AFTER INSERT OR UPDATE OR DELETE ON tenant_entitlements
        FOR EACH STATEMENT EXECUTE FUNCTION switchyard_entitlements_changed()`);
    await db.query(`
      CREATE TRIGGER tenant_entitlements_truncated AFTER TRUNCATE ON tenant_entitlements
        FOR EACH STATEMENT EXECUTE FUNCTION switchyard_entitlements_changed()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tenant_entitlements_truncated ON tenant_entitlements`);
    await db.query(`DROP TRIGGER tenant_entitlements_changed ON tenant_entitlements`);
    await db.query(`DROP FUNCTION switchyard_entitlements_changed()`);
  }
}
