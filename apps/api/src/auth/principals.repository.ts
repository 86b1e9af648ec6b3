import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@switchyard/core/database';
import { DataSource } from 'typeorm';

/** A live token with its user and tenant: who a request is. */
export interface PrincipalRow {
  token_id: string;
  user_id: string;
  user_name: string;
  tenant_id: string;
  tenant_name: string;
  role: Role;
  delegated: boolean;
  expires_at: Date | null;
  last_used_at: Date | null;
}

/**
 * The lookup behind every request's principal. It has no scope to take: a token names its tenant,
 * and the principal it yields is where every scope comes from.
 */
@Injectable()
export class PrincipalsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The unrevoked, unexpired token of this hash, with its user and tenant. */
  async findLive(tokenHash: string): Promise<PrincipalRow | undefined> {
    const rows: PrincipalRow[] = await this.db.query(
      `SELECT t.id AS token_id, u.id AS user_id, u.name AS user_name, n.id AS tenant_id, n.name AS tenant_name,
              t.role, t.delegated, t.expires_at, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN tenants n ON n.id = t.tenant_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
      [tokenHash],
    );
    return rows[0];
  }

  /** Records that the token was used now. */
  async touch(tokenId: string): Promise<void> {
    await this.db.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [tokenId]);
  }
}
