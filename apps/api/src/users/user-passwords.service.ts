import { Inject, Injectable } from '@nestjs/common';
import { ApiTokenEntity, hashPassword, verifyPassword } from '@switchyard/core';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { SignInAttemptsService } from '../auth/sign-in-attempts.service.js';
import { waitText } from '../auth/wait-text.util.js';
import { AppException } from '../common/app.exception.js';
import type { ChangeOwnPasswordDto } from './users.dto.js';

/** Setting passwords, and what a new password ends: the user's sign-in sessions and lock. */
@Injectable()
export class UserPasswordsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SignInAttemptsService) private readonly attempts: SignInAttemptsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Stores a new hash (made outside the transaction: scrypt is slow) and lifts any sign-in lock. */
  async store(em: EntityManager, userId: string, hash: string): Promise<void> {
    await em.query(
      `UPDATE users
          SET password_hash = $2, password_changed_at = date_trunc('milliseconds', now()),
              failed_sign_ins = 0, sign_in_locked_until = NULL, updated_at = date_trunc('milliseconds', now())
        WHERE id = $1`,
      [userId, hash],
    );
  }

  /** Revokes the user's live sign-in sessions (not its API tokens), but `keep`; how many. */
  async revokeSessions(em: EntityManager, userId: string, keep?: string): Promise<number> {
    const update = em
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: () => `date_trunc('milliseconds', now())` })
      .where(`user_id = :userId AND kind = 'session' AND revoked_at IS NULL`, { userId });
    if (keep) update.andWhere('id <> :keep', { keep });
    return (await update.execute()).affected ?? 0;
  }

  /**
   * The caller changes its own password, proving the current one if it has one (a first password
   * needs only the token). A wrong current password counts towards the sign-in lock, like a
   * failed sign-in. The caller's other sessions end; the one it uses stays.
   */
  async changeOwn(caller: Principal, dto: ChangeOwnPasswordDto): Promise<void> {
    const rows: { password_hash: string | null }[] = await this.db.query(
      `SELECT password_hash FROM users WHERE id = $1`,
      [caller.userId],
    );
    const current = rows[0]?.password_hash ?? null;
    if (current !== null) {
      if (dto.currentPassword === undefined) {
        throw AppException.invalid([
          { path: 'currentPassword', message: 'is required: you have a password' },
        ]);
      }
      const attempt = await this.attempts.begin(caller.userId);
      if (attempt.locked) {
        throw AppException.rateLimited(
          `Too many wrong passwords: try again in ${waitText(attempt.retryAfterSeconds)}`,
          attempt.retryAfterSeconds,
        );
      }
      if (!(await verifyPassword(dto.currentPassword, current))) {
        await this.audit.record(this.db.manager, caller, {
          tenantId: caller.tenantId,
          action: 'user.password.refuse',
          resourceType: 'user',
          resourceId: caller.userId,
          after: { reason: 'wrong current password' },
        });
        throw AppException.invalid([{ path: 'currentPassword', message: 'is not your current password' }]);
      }
    }
    const hash = await hashPassword(dto.newPassword);
    await this.db.transaction(async (em) => {
      await this.store(em, caller.userId, hash);
      const sessionsRevoked = await this.revokeSessions(em, caller.userId, caller.tokenId);
      await this.audit.record(em, caller, {
        tenantId: caller.tenantId,
        action: 'user.password.change',
        resourceType: 'user',
        resourceId: caller.userId,
        // that it changed, never what to
        after: { passwordChanged: true, sessionsRevoked },
      });
    });
  }
}
