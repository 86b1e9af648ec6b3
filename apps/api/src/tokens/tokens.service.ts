import { Inject, Injectable } from '@nestjs/common';
import { generateApiToken, hashApiToken, tokenHint } from '@switchyard/core/crypto';
import { UnitOfWork } from '@switchyard/core/database';
import { PrincipalCache } from '../auth/principal-cache.js';
import { AuditService } from '../audit/audit.service.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { mapPage, type Page } from '../common/pagination.js';
import { UsersService } from '../users/users.service.js';
import { toTokenDto } from './token-dto.util.js';
import type { CreatedTokenDto, CreateTokenDto, TokenDto } from './tokens.dto.js';
import { TokensRepository } from './tokens.repository.js';

@Injectable()
export class TokensService {
  constructor(
    @Inject(TokensRepository) private readonly repo: TokensRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PrincipalCache) private readonly principals: PrincipalCache,
  ) {}

  async create(caller: Principal, dto: CreateTokenDto): Promise<CreatedTokenDto> {
    const owner = await this.users.getManageable(caller, dto.userId ?? caller.userId, 'make a token for');
    const role = dto.role ?? owner.role;
    if (!hasRole(owner.role, role) || !hasRole(caller.role, role)) {
      throw new AppException(
        ErrorCode.Forbidden,
        `A token cannot carry more than its owner's and its maker's role`,
      );
    }
    // made for someone else by a non-admin (whose scope is not every tenant), or from such a
    // token: it acts for the owner but does not speak for it (no first password through it)
    const delegated = owner.id === caller.userId ? caller.delegated : !tenantScope(caller).anyTenant;
    const token = generateApiToken();
    const expiresAt = dto.expiresInDays ? new Date(Date.now() + dto.expiresInDays * 86_400_000) : null;
    return this.uow.run(async (em) => {
      const saved = await this.repo.insert(em, {
        tenantId: owner.tenantId,
        userId: owner.id,
        name: dto.name,
        role,
        kind: 'api',
        delegated,
        tokenHash: hashApiToken(token),
        hint: tokenHint(token),
        expiresAt,
      });
      const after = toTokenDto(saved);
      await this.audit.record(em, caller, {
        tenantId: owner.tenantId,
        action: 'token.create',
        resourceType: 'api-token',
        resourceId: saved.id,
        after,
      });
      return { ...after, token };
    });
  }

  /** The caller's tenant's tokens (every tenant's for admins); a member's own only. */
  async list(caller: Principal, query: { limit?: number; cursor?: string }): Promise<Page<TokenDto>> {
    const mine = caller.role === 'member' ? { userId: caller.userId } : {};
    return mapPage(await this.repo.list(tenantScope(caller), mine, query.cursor, query.limit), toTokenDto);
  }

  async revoke(caller: Principal, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      const token = await this.repo.find(tenantScope(caller), id, em, true);
      if (!token) throw AppException.notFound(`token ${id}`);
      // one's own token (signing out) always; another's only within the rule for its owner
      if (token.id !== caller.tokenId)
        await this.users.getManageable(caller, token.userId, 'revoke a token of');
      if (token.revokedAt) return;
      const before = toTokenDto(token);
      token.revokedAt = new Date();
      await this.repo.save(em, token);
      await this.audit.record(em, caller, {
        tenantId: token.tenantId,
        action: 'token.revoke',
        resourceType: 'api-token',
        resourceId: token.id,
        before,
        after: toTokenDto(token),
      });
    });
    // at once here; other API processes on Postgres's notice
    this.principals.forgetAll();
  }
}
