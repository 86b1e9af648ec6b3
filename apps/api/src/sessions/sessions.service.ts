import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import {
  generateApiToken,
  hashApiToken,
  hashPassword,
  passwordNeedsRehash,
  tokenHint,
  verifyPassword,
} from '@switchyard/core/crypto';
import { UnitOfWork } from '@switchyard/core/database';
import { AuditService, type AuditActor } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { SignInAttemptsService } from '../auth/sign-in-attempts.service.js';
import { SignInRateService } from '../auth/sign-in-rate.service.js';
import { waitText } from '../auth/wait-text.util.js';
import { DEFAULT_TENANT } from '../tenants/default-tenant.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { toTokenDto } from '../tokens/token-dto.util.js';
import { TokensRepository } from '../tokens/tokens.repository.js';
import { TokensService } from '../tokens/tokens.service.js';
import { UsersRepository } from '../users/users.repository.js';
import type { SessionDto, SignInDto } from './sessions.dto.js';

/** One answer for every refused sign-in, so that it tells nothing about which part was wrong. */
export const SIGN_IN_REFUSED = 'The tenant, user name or password is wrong';
const SESSION_NAME = 'web session';

/** Where a sign-in comes from, for the audit log. */
export interface SignInOrigin {
  requestId?: string;
  ip?: string;
}

/** Password sign-in: a user name and password in, a session token of the user's role out. */
@Injectable()
export class SessionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TokensRepository) private readonly tokenRows: TokensRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SignInAttemptsService) private readonly attempts: SignInAttemptsService,
    @Inject(SignInRateService) private readonly rate: SignInRateService,
    @Inject(TokensService) private readonly tokens: TokensService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    // the dummy hash an unknown user is checked against is made on first use: make it now, so
    // that the first unknown name does not take twice as long as a known one
    void verifyPassword('warm-up', null);
  }

  async signIn(dto: SignInDto, origin: SignInOrigin): Promise<SessionDto> {
    // before any hashing: a client trying too fast costs no CPU
    const wait = await this.rate.take(origin.ip ?? 'unknown');
    if (wait !== undefined) {
      this.logger.warn({ user: dto.user, ...origin }, 'sign-in refused: too many from this address');
      throw AppException.rateLimited(
        `Too many sign-ins from this address: try again in ${waitText(wait)}`,
        wait,
      );
    }
    const tenantName = dto.tenant ?? DEFAULT_TENANT;
    const found = await this.users.signInCandidate(tenantName, dto.user);
    // counted by the names as typed, before knowing whether they exist: an unknown user meets the
    // same lock at the same moment, so neither the status nor the time tells whether it exists
    const key = { tenant: tenantName, user: dto.user, address: origin.ip ?? 'unknown' };
    const attempt = await this.attempts.begin(key);
    if (attempt.locked) {
      if (found) await this.refused(found.tenant_id, found.user_id ?? dto.user, 'locked', origin);
      else this.logger.warn({ tenant: tenantName, user: dto.user, ...origin }, 'sign-in refused: locked');
      throw AppException.rateLimited(
        `Too many failed sign-ins: try again in ${waitText(attempt.retryAfterSeconds)}`,
        attempt.retryAfterSeconds,
      );
    }
    // an unknown user, or one without a password, spends a hash against a dummy: the same time
    const ok = await verifyPassword(dto.password, found?.password_hash ?? null);
    if (!ok || !found?.user_id || !found.user_name || !found.role) {
      if (!found) {
        this.logger.warn(
          { tenant: tenantName, user: dto.user, ...origin },
          'sign-in refused: unknown tenant',
        );
      } else {
        const reason = !found.user_id
          ? 'unknown user'
          : found.password_hash
            ? 'wrong password'
            : 'no password';
        await this.refused(found.tenant_id, found.user_id ?? dto.user, reason, origin);
      }
      throw new AppException(ErrorCode.Unauthenticated, SIGN_IN_REFUSED);
    }
    const stored = found.password_hash!;
    const rehash = passwordNeedsRehash(stored) ? await hashPassword(dto.password) : undefined;
    const token = generateApiToken();
    const expiresAt = new Date(Date.now() + this.config.sessions.ttlHours * 3_600_000);
    const user = { id: found.user_id, name: found.user_name };
    await this.attempts.succeeded(key);
    return this.uow.run(async (em) => {
      // made with weaker parameters than today's: stored again, unless changed meanwhile
      if (rehash) await this.users.rehashPassword(em, user.id, stored, rehash);
      const saved = await this.tokenRows.insert(em, {
        tenantId: found.tenant_id,
        userId: user.id,
        name: dto.name ?? SESSION_NAME,
        role: found.role!,
        kind: 'session',
        tokenHash: hashApiToken(token),
        hint: tokenHint(token),
        expiresAt,
      });
      const actor: AuditActor = { userId: user.id, tokenId: saved.id, userName: user.name, ...origin };
      await this.audit.record(em, actor, {
        tenantId: found.tenant_id,
        action: 'session.create',
        resourceType: 'api-token',
        resourceId: saved.id,
        after: { ...toTokenDto(saved), ip: origin.ip ?? null },
      });
      return {
        token,
        tokenId: saved.id,
        expiresAt: expiresAt.toISOString(),
        user,
        tenant: { id: found.tenant_id, name: found.tenant_name },
        role: saved.role,
      };
    });
  }

  /** Sign-out: the token the request came with is revoked. */
  async end(caller: Principal): Promise<void> {
    await this.tokens.revoke(caller, caller.tokenId);
  }

  private async refused(tenantId: string, user: string, reason: string, origin: SignInOrigin): Promise<void> {
    await this.audit.recordNow(
      { userId: null, tokenId: null, userName: 'anonymous', requestId: origin.requestId },
      {
        tenantId,
        action: 'session.refuse',
        resourceType: 'user',
        resourceId: user,
        // never the password
        after: { reason, ip: origin.ip ?? null },
      },
    );
  }
}
