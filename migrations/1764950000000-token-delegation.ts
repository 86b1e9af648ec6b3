import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tokens remember whether they speak for their user (`delegated = false`: made by the user, an
 * admin, a sign-in or the bootstrap) or were made for it by someone else who is not an admin:
 * only the former may set the user's first password. Sign-in failures move to Redis, counted
 * per user name and client address (unknown names alike), so the per-user columns go.
 */
export class TokenDelegation1764950000000 implements MigrationInterface {
  name = 'TokenDelegation1764950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_tokens ADD COLUMN delegated boolean NOT NULL DEFAULT false`);
    // tokens made before: the audit log says who made each; another user without an admin token
    // made it, or it was made from such a token (repeated until no chain is left)
    await db.query(`
      UPDATE api_tokens t SET delegated = true
        FROM audit_log a JOIN api_tokens maker ON maker.id = a.actor_token_id
       WHERE a.action = 'token.create' AND a.resource_type = 'api-token' AND a.resource_id = t.id::text
         AND a.actor_user_id IS DISTINCT FROM t.user_id AND maker.role <> 'admin'`);
    for (;;) {
      const rows: unknown = await db.query(`
        UPDATE api_tokens t SET delegated = true
          FROM audit_log a JOIN api_tokens maker ON maker.id = a.actor_token_id
         WHERE a.action = 'token.create' AND a.resource_type = 'api-token' AND a.resource_id = t.id::text
           AND maker.delegated AND NOT t.delegated
        RETURNING t.id`);
      // Postgres answers an UPDATE with [rows, count]
      const changed = Array.isArray(rows) ? (Array.isArray(rows[0]) ? rows[0].length : rows.length) : 0;
      if (changed === 0) break;
    }
    await db.query(`ALTER TABLE users DROP COLUMN failed_sign_ins, DROP COLUMN sign_in_locked_until`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE users
        ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
        ADD COLUMN sign_in_locked_until timestamptz`);
    await db.query(`ALTER TABLE api_tokens DROP COLUMN delegated`);
  }
}
