import { Inject, Injectable, Logger } from '@nestjs/common';
import { hashApiToken, type Role } from '@switchyard/core';
import { DataSource } from 'typeorm';
import type { Principal } from './principal.js';

// lastUsedAt is a hint for people, not an audit trail: write it at most once a minute per token.
const LAST_USED_RESOLUTION_MS = 60_000;

interface TokenRow {
  token_id: string;
  user_id: string;
  user_name: string;
  tenant_id: string;
  tenant_name: string;
  role: Role;
  delegated: boolean;
  last_used_at: Date | null;
}

/** Turns a presented token into a principal, or nothing when it is unknown, revoked or expired. */
@Injectable()
export class TokenAuthService {
  private readonly logger = new Logger(TokenAuthService.name);

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async authenticate(token: string): Promise<Principal | undefined> {
    if (token.length > 200) return undefined;
    const rows: TokenRow[] = await this.db.query(
      `SELECT t.id AS token_id, u.id AS user_id, u.name AS user_name, n.id AS tenant_id, n.name AS tenant_name,
              t.role, t.delegated, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN tenants n ON n.id = t.tenant_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
      [hashApiToken(token)],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      this.db
        .query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.token_id])
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
