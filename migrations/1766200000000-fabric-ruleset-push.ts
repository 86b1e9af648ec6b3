import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rulesets pushed to Linux-host instances. Every change to a tenant's fabric objects or endpoints
 * leaves a row in `fabric_policy_changes` in its own transaction (one row per transaction and
 * tenant), so a change is never lost to a process that was down when it committed; each new row
 * sends `switchyard_fabric_push` with the tenant's id on commit, which wakes the worker's push.
 * The push deletes the rows it has seen once every instance of the tenant holds the ruleset that
 * follows from them: any number of changes meanwhile cost one push. `deployment_instances.
 * ruleset_etag` is the ETag of the ruleset the instance was last given (at create, or pushed).
 */
export class FabricRulesetPush1766200000000 implements MigrationInterface {
  name = 'FabricRulesetPush1766200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE fabric_policy_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        tx bigint NOT NULL DEFAULT txid_current(),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, tx)
      )`);
    await db.query(`
      CREATE FUNCTION switchyard_fabric_push() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchyard_fabric_push', NEW.tenant_id::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER fabric_policy_changes_push AFTER INSERT ON fabric_policy_changes
        FOR EACH ROW EXECUTE FUNCTION switchyard_fabric_push()`);
    await db.query(`ALTER TABLE deployment_instances ADD COLUMN ruleset_etag varchar(80)`);
    await db.query(changedFunction(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(changedFunction(false));
    await db.query(`ALTER TABLE deployment_instances DROP COLUMN ruleset_etag`);
    await db.query(`DROP TABLE fabric_policy_changes`);
    await db.query(`DROP FUNCTION switchyard_fabric_push()`);
  }
}

/** The fabric tables' trigger function (FabricChangeNotify), with or without the change rows. */
function changedFunction(recorded: boolean): string {
  const record = (tenant: string) =>
    recorded
      ? `INSERT INTO fabric_policy_changes (tenant_id) VALUES (${tenant}) ON CONFLICT (tenant_id, tx) DO NOTHING;`
      : '';
  return `
    CREATE OR REPLACE FUNCTION switchyard_fabric_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('switchyard_fabric_changed', '');
        ${recorded ? 'INSERT INTO fabric_policy_changes (tenant_id) SELECT id FROM tenants ON CONFLICT (tenant_id, tx) DO NOTHING;' : ''}
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('switchyard_fabric_changed', OLD.tenant_id::text);
        ${record('OLD.tenant_id')}
      ELSE
        PERFORM pg_notify('switchyard_fabric_changed', NEW.tenant_id::text);
        ${record('NEW.tenant_id')}
        IF TG_OP = 'UPDATE' AND OLD.tenant_id <> NEW.tenant_id THEN
          PERFORM pg_notify('switchyard_fabric_changed', OLD.tenant_id::text);
          ${record('OLD.tenant_id')}
        END IF;
      END IF;
      RETURN NULL;
    END $$`;
}
