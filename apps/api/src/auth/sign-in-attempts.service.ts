import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { lockoutSeconds } from './lockout-seconds.util.js';

export type SignInAttempt = { locked: false } | { locked: true; retryAfterSeconds: number };

/**
 * Password checks per user, counted in Postgres (`users.failed_sign_ins`, `sign_in_locked_until`)
 * so that the lock holds across API processes.
 */
@Injectable()
export class SignInAttemptsService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Counts a password check before it is made, as if it will fail, unless sign-in is locked.
   * Counting first means that guesses sent in parallel cannot all pass the lock before the first
   * failure is written; a check that passes resets the count (`succeeded`).
   */
  async begin(userId: string): Promise<SignInAttempt> {
    return this.db.transaction(async (em) => {
      const rows: { failures: number; wait: number | null }[] = await em.query(
        `SELECT failed_sign_ins AS failures,
                extract(epoch FROM sign_in_locked_until - now())::float8 AS wait
           FROM users WHERE id = $1 FOR UPDATE`,
        [userId],
      );
      const row = rows[0];
      if (!row) return { locked: false };
      if (row.wait !== null && row.wait > 0) return { locked: true, retryAfterSeconds: row.wait };
      const failures = row.failures + 1;
      await em.query(
        `UPDATE users
            SET failed_sign_ins = $2,
                sign_in_locked_until = CASE WHEN $3::int > 0 THEN now() + make_interval(secs => $3::int) END
          WHERE id = $1`,
        [userId, failures, lockoutSeconds(failures)],
      );
      return { locked: false };
    });
  }

  /** The password was right: failures start again from zero and any lock is lifted. */
  async succeeded(em: EntityManager, userId: string): Promise<void> {
    await em.query(`UPDATE users SET failed_sign_ins = 0, sign_in_locked_until = NULL WHERE id = $1`, [
      userId,
    ]);
  }
}
