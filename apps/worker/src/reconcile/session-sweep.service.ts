import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

// kept a day after they end, so that "why was I signed out" can still be looked up
const KEEP_ENDED_SESSIONS = '1 day';

/**
 * Deletes the tokens of password sign-ins that expired or were revoked more than a day ago: every
 * sign-in makes one, and they would pile up in the tokens list. API tokens are never touched, and
 * the audit log keeps its records of the sessions.
 */
@Injectable()
export class SessionSweep {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async run(): Promise<number> {
    const [, deleted] = (await this.db.query(
      `DELETE FROM api_tokens
        WHERE kind = 'session'
          AND least(expires_at, coalesce(revoked_at, expires_at)) < now() - $1::interval`,
      [KEEP_ENDED_SESSIONS],
    )) as [unknown, number];
    return deleted;
  }
}
