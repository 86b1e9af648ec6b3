import { Inject, Injectable } from '@nestjs/common';
import { ApiTokenEntity, hashPassword, verifyPassword, type Role } from '@switchyard/core';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { SignInAttemptsService } from '../auth/sign-in-attempts.service.js';
import { waitText } from '../auth/wait-text.util.js';
import { assertUserAuthority } from '../auth/user-authority.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import type { ChangeOwnPasswordDto } from './users.dto.js';

/** Setting passwords, and what a new password ends: the user's sign-in sessions and lock. */
@Injectable()
export class UserPasswordsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SignInAttemptsService) private readonly attempts: SignInAttemptsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Stores a new hash (made outside the transaction: scrypt is slow). */
  async store(em: EntityManager, userId: string, hash: string): Promise<void> {
    await em.query(
      `UPDATE users
          SET password_hash = $2, password_changed_at = date_trunc('milliseconds', now()),
              updated_at = date_trunc('milliseconds', now())
        WHERE id = $1`,
      [userId, hash],
    );
  }

  /** After a new password: the user's sign-in locks and counts are lifted. */
  async liftLocks(tenantName: string, userName: string): Promise<void> {
    await this.attempts.clear(tenantName, userName);
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
   * The caller changes its own password. Only a token of the user's own role may (a narrowed
   * token cannot reach back to its user). With a password already, the current one is proven;
   * a first one needs a token that speaks for the user (its own, an admin's, not one someone
   * else made for it). A wrong current password counts towards the sign-in lock of this address.
   * The caller's other sessions end; the one it uses stays.
   */
  async changeOwn(caller: Principal, dto: ChangeOwnPasswordDto, address: string): Promise<void> {
    const rows: { password_hash: string | null; role: Role; tenant_id: string }[] = await this.db.query(
      `SELECT password_hash, role, tenant_id FROM users WHERE id = $1`,
      [caller.userId],
    );
    const user = rows[0];
    if (!user) throw AppException.notFound(`user ${caller.userId}`);
    assertUserAuthority(
      caller,
      { id: caller.userId, tenantId: user.tenant_id, role: user.role },
      'set the password of',
    );
    const current = user.password_hash;
    if (current === null && caller.delegated) {
      await this.refuse(caller, 'first password through a token made by someone else');
      throw new AppException(
        ErrorCode.Forbidden,
        'This token was made for you by someone else: it cannot set your first password. ' +
          'Ask an operator or admin to set one (PATCH /api/v1/users/{id}), or use a token you or an admin made',
      );
    }
    if (current !== null) {
      if (dto.currentPassword === undefined) {
        throw AppException.invalid([
          { path: 'currentPassword', message: 'is required: you have a password' },
        ]);
      }
      const key = { tenant: caller.tenantName, user: caller.userName, address };
      const attempt = await this.attempts.begin(key);
      if (attempt.locked) {
        throw AppException.rateLimited(
          `Too many wrong passwords: try again in ${waitText(attempt.retryAfterSeconds)}`,
          attempt.retryAfterSeconds,
        );
      }
      if (!(await verifyPassword(dto.currentPassword, current))) {
        await this.refuse(caller, 'wrong current password');
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
    await this.liftLocks(caller.tenantName, caller.userName);
  }

  private async refuse(caller: Principal, reason: string): Promise<void> {
    await this.audit.record(this.db.manager, caller, {
      tenantId: caller.tenantId,
      action: 'user.password.refuse',
      resourceType: 'user',
      resourceId: caller.userId,
      after: { reason },
    });
  }
}
