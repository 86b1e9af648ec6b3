import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password sign-in: a user's scrypt hash (optional: users without one sign in with tokens only),
 * the count of failed sign-ins in a row and the lock it sets (kept here so that every API
 * process sees it), and which tokens a sign-in issued (sessions) as opposed to tokens made on
 * purpose.
 */
export class UserPasswords1764800000000 implements MigrationInterface {
  name = 'UserPasswords1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE users
        ADD COLUMN password_hash varchar(255),
        ADD COLUMN password_changed_at timestamptz,
        ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
        ADD COLUMN sign_in_locked_until timestamptz,
        ADD CONSTRAINT users_password_changed_with_hash
          CHECK ((password_hash IS NULL) = (password_changed_at IS NULL)),
        ADD CONSTRAINT users_password_hash_is_scrypt
          CHECK (password_hash IS NULL OR password_hash LIKE '$scrypt$%')`);
    await db.query(`
      ALTER TABLE api_tokens
        ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'session'))`);
    // a password change revokes the user's live sessions
    await db.query(
      `CREATE INDEX api_tokens_user_sessions ON api_tokens (user_id) WHERE kind = 'session' AND revoked_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX api_tokens_user_sessions`);
    await db.query(`ALTER TABLE api_tokens DROP COLUMN kind`);
    await db.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_password_hash_is_scrypt,
        DROP CONSTRAINT users_password_changed_with_hash,
        DROP COLUMN sign_in_locked_until,
        DROP COLUMN failed_sign_ins,
        DROP COLUMN password_changed_at,
        DROP COLUMN password_hash`);
  }
}
