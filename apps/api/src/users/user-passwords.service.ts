import { Inject, Injectable } from '@nestjs/common';
import { hashPassword, verifyPassword } from '@switchyard/core/crypto';
import { UnitOfWork } from '@switchyard/core/database';
import { PrincipalCache } from '../auth/principal-cache.js';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { SignInAttemptsService } from '../auth/sign-in-attempts.service.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { waitText } from '../auth/wait-text.util.js';
import { assertUserAuthority } from '../auth/user-authority.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { TokensRepository } from '../tokens/tokens.repository.js';
import type { ChangeOwnPasswordDto } from './users.dto.js';
import { UsersRepository } from './users.repository.js';

/** Setting passwords, and what a new password ends: the user's sign-in sessions and lock. */
@Injectable()
export class UserPasswordsService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(SignInAttemptsService) private readonly attempts: SignInAttemptsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PrincipalCache) private readonly principals: PrincipalCache,
  ) {}

  /** After a new password: the user's sign-in locks and counts are lifted. */
  async liftLocks(tenantName: string, userName: string): Promise<void> {
    await this.attempts.clear(tenantName, userName);
  }

  /**
   * The caller changes its own password. Only a token of the user's own role may (a narrowed
   * token cannot reach back to its user). With a password already, the current one is proven;
   * a first one needs a token that speaks for the user (its own, an admin's, not one someone
   * else made for it). A wrong current password counts towards the sign-in lock of this address.
   * The caller's other sessions end; the one it uses stays.
   */
  async changeOwn(caller: Principal, dto: ChangeOwnPasswordDto, address: string): Promise<void> {
    const user = await this.users.passwordFacts(tenantScope(caller), caller.userId);
    if (!user) throw AppException.notFound(`user ${caller.userId}`);
    assertUserAuthority(
      caller,
      { id: caller.userId, tenantId: user.tenantId, role: user.role },
      'set the password of',
    );
    const current = user.passwordHash;
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
    await this.uow.run(async (em) => {
      await this.users.storePassword(em, caller.userId, hash);
      const sessionsRevoked = await this.tokens.revokeSessions(em, caller.userId, caller.tokenId);
      await this.audit.record(em, caller, {
        tenantId: caller.tenantId,
        action: 'user.password.change',
        resourceType: 'user',
        resourceId: caller.userId,
        // that it changed, never what to
        after: { passwordChanged: true, sessionsRevoked },
      });
    });
    this.principals.forgetAll();
    await this.liftLocks(caller.tenantName, caller.userName);
  }

  private async refuse(caller: Principal, reason: string): Promise<void> {
    await this.audit.recordNow(caller, {
      tenantId: caller.tenantId,
      action: 'user.password.refuse',
      resourceType: 'user',
      resourceId: caller.userId,
      after: { reason },
    });
  }
}
