import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API processes keep who a token is in memory. Every change that can alter that answer (a token
 * revoked, expired early, re-roled or deleted; a user or tenant renamed, moved or deleted) sends a
 * notice on the `switchyard_auth_changed` channel when its transaction commits, and every process
 * that listens forgets what it held. Touching `last_used_at` sends none.
 */
export class AuthChangeNotify1765600000000 implements MigrationInterface {
  name = 'AuthChangeNotify1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION switchyard_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchyard_auth_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    const watched: [string, string][] = [
      ['api_tokens', 'token_hash, role, delegated, revoked_at, expires_at, user_id, tenant_id'],
      ['users', 'name, role, tenant_id'],
      ['tenants', 'name'],
    ];
    for (const [table, columns] of watched) {
      await db.query(`
        CREATE TRIGGER ${table}_auth_changed AFTER UPDATE OF ${columns} OR DELETE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION switchyard_auth_changed()`);
      await db.query(`
        CREATE TRIGGER ${table}_auth_truncated AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION switchyard_auth_changed()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['api_tokens', 'users', 'tenants']) {
      await db.query(`DROP TRIGGER ${table}_auth_changed ON ${table}`);
      await db.query(`DROP TRIGGER ${table}_auth_truncated ON ${table}`);
    }
    await db.query(`DROP FUNCTION switchyard_auth_changed()`);
  }
}
