import { Inject, Injectable } from '@nestjs/common';
import { ApiTokenEntity, generateApiToken, hashApiToken, tokenHint } from '@switchyard/core';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { UsersService } from '../users/users.service.js';
import type { CreatedTokenDto, CreateTokenDto, TokenDto } from './tokens.dto.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toTokenDto(t: ApiTokenEntity): TokenDto {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    kind: t.kind,
    delegated: t.delegated,
    userId: t.userId,
    tenantId: t.tenantId,
    hint: t.hint,
    createdAt: t.createdAt.toISOString(),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
    lastUsedAt: iso(t.lastUsedAt),
  };
}

@Injectable()
export class TokensService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuditService) private readonly audit: AuditService,
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
    // made for someone else by a non-admin, or from such a token: it acts for the owner but does
    // not speak for it (no first password through it)
    const delegated = owner.id === caller.userId ? caller.delegated : caller.role !== 'admin';
    const token = generateApiToken();
    const expiresAt = dto.expiresInDays ? new Date(Date.now() + dto.expiresInDays * 86_400_000) : null;
    return this.db.transaction(async (em) => {
      const saved = await em.save(
        em.create(ApiTokenEntity, {
          tenantId: owner.tenantId,
          userId: owner.id,
          name: dto.name,
          role,
          kind: 'api',
          delegated,
          tokenHash: hashApiToken(token),
          hint: tokenHint(token),
          expiresAt,
        }),
      );
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

  async list(caller: Principal, query: { limit?: number; cursor?: string }): Promise<Page<TokenDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    const qb = this.db.getRepository(ApiTokenEntity).createQueryBuilder('t');
    if (caller.role !== 'admin') qb.andWhere('t.tenant_id = :tid', { tid: caller.tenantId });
    if (caller.role === 'member') qb.andWhere('t.user_id = :uid', { uid: caller.userId });
    if (after) qb.andWhere('(t.created_at, t.id) > (:at, :cid)', { at: after.createdAt, cid: after.id });
    const rows = await qb
      .orderBy('t.created_at')
      .addOrderBy('t.id')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, toTokenDto);
  }

  async revoke(caller: Principal, id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const token = await em.findOne(ApiTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!token || (caller.role !== 'admin' && token.tenantId !== caller.tenantId)) {
        throw AppException.notFound(`token ${id}`);
      }
      // one's own token (signing out) always; another's only within the rule for its owner
      if (token.id !== caller.tokenId)
        await this.users.getManageable(caller, token.userId, 'revoke a token of');
      if (token.revokedAt) return;
      const before = toTokenDto(token);
      token.revokedAt = new Date();
      await em.save(token);
      await this.audit.record(em, caller, {
        tenantId: token.tenantId,
        action: 'token.revoke',
        resourceType: 'api-token',
        resourceId: token.id,
        before,
        after: toTokenDto(token),
      });
    });
  }
}
