import { Inject, Injectable, Logger } from '@nestjs/common';
import { hashApiToken } from '@switchyard/core/crypto';
import type { Principal } from './principal.js';
import { PrincipalsRepository } from './principals.repository.js';

// lastUsedAt is a hint for people, not an audit trail: write it at most once a minute per token.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Turns a presented token into a principal, or nothing when it is unknown, revoked or expired. */
@Injectable()
export class TokenAuthService {
  private readonly logger = new Logger(TokenAuthService.name);

  constructor(@Inject(PrincipalsRepository) private readonly repo: PrincipalsRepository) {}

  async authenticate(token: string): Promise<Principal | undefined> {
    if (token.length > 200) return undefined;
    const row = await this.repo.findLive(hashApiToken(token));
    if (!row) return undefined;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      this.repo
        .touch(row.token_id)
        .catch((err: unknown) => this.logger.warn({ err }, 'could not record token use'));
    }
    return {
      tokenId: row.token_id,
      userId: row.user_id,
      userName: row.user_name,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      role: row.role,
      delegated: row.delegated,
    };
  }
}
