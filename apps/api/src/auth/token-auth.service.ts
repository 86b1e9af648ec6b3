import { Inject, Injectable, Logger } from '@nestjs/common';
import { hashApiToken } from '@switchyard/core/crypto';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { PrincipalsRepository } from './principals.repository.js';

// lastUsedAt is a hint for people, not an audit trail: write it at most once a minute per token.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Turns a presented token into a principal, or nothing when it is unknown, revoked or expired. */
@Injectable()
export class TokenAuthService {
  private readonly logger = new Logger(TokenAuthService.name);

  constructor(
    @Inject(PrincipalsRepository) private readonly repo: PrincipalsRepository,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {}

  async authenticate(token: string): Promise<Principal | undefined> {
    if (token.length > 200) return undefined;
    const hash = hashApiToken(token);
    const held = this.cache.get(hash);
    if (held) {
      if (held.lastUsedAt === null || Date.now() - held.lastUsedAt > LAST_USED_RESOLUTION_MS) {
        held.lastUsedAt = Date.now();
        this.touch(held.principal.tokenId);
      }
      return held.principal;
    }
    const mark = this.cache.mark();
    const row = await this.repo.findLive(hash);
    if (!row) return undefined;
    let lastUsedAt = row.last_used_at;
    if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      lastUsedAt = new Date();
      this.touch(row.token_id);
    }
    const principal: Principal = {
      tokenId: row.token_id,
      userId: row.user_id,
      userName: row.user_name,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      role: row.role,
      delegated: row.delegated,
    };
    this.cache.remember(hash, mark, { principal, expiresAt: row.expires_at, lastUsedAt });
    return principal;
  }

  private touch(tokenId: string): void {
    this.repo.touch(tokenId).catch((err: unknown) => this.logger.warn({ err }, 'could not record token use'));
  }
}
