import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Processes keep each tenant's compiled policy in memory. Every change to the fabric's objects or
 * endpoints sends a notice on `switchyard_fabric_changed` with the tenant's id when its transaction
 * commits (Postgres folds a transaction's identical notices into one); a TRUNCATE sends '' (all).
 */
export class FabricChangeNotify1765610000000 implements MigrationInterface {
  name = 'FabricChangeNotify1765610000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION switchyard_fabric_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('switchyard_fabric_changed', '');
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('switchyard_fabric_changed', OLD.tenant_id::text);
        ELSE
          PERFORM pg_notify('switchyard_fabric_changed', NEW.tenant_id::text);
          IF TG_OP = 'UPDATE' AND OLD.tenant_id <> NEW.tenant_id THEN
            PERFORM pg_notify('switchyard_fabric_changed', OLD.tenant_id::text);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['fabric_objects', 'fabric_endpoints']) {
      await db.query(`
        CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION switchyard_fabric_changed()`);
      await db.query(`
        CREATE TRIGGER ${table}_truncated AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION switchyard_fabric_changed()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['fabric_objects', 'fabric_endpoints']) {
      await db.query(`DROP TRIGGER ${table}_changed ON ${table}`);
      await db.query(`DROP TRIGGER ${table}_truncated ON ${table}`);
    }
    await db.query(`DROP FUNCTION switchyard_fabric_changed()`);
  }
}
