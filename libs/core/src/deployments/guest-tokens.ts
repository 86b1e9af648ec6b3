import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Guest tokens look like `sydg_` + 43 characters of base64url (256 random bits). */
export const GUEST_TOKEN_PREFIX = 'sydg_';
const GUEST_TOKEN = /^sydg_[A-Za-z0-9_-]{43}$/;

/** What a guest token speaks for: one live instance of one deployment's tier. */
export interface GuestIdentity {
  tenantName: string;
  deploymentId: string;
  instanceId: string;
  tier: string;
  /** The instance's fabric address (what its ruleset is scoped to). */
  address: string;
}

/**
 * Per-instance tokens of the guests' policy pull: made when an instance's user-data is written,
 * stored as SHA-256 only (256 random bits need no salt or slow hash), good for that instance
 * alone, and revoked when the instance is removed (terminate, rollback, scale down).
 */
@Injectable()
export class GuestTokens {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** A new token for the instance; earlier ones of the same instance stay good until it is removed. */
  async issue(
    instance: { id: string; deploymentId: string; tier: string },
    em?: EntityManager,
  ): Promise<string> {
    const token = GUEST_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await (em ?? this.db.manager).query(
      `INSERT INTO guest_tokens (token_hash, tenant_id, deployment_id, instance_id, tier)
       SELECT $1, d.tenant_id, d.id, $3, $4 FROM deployments d WHERE d.id = $2`,
      [hashGuestToken(token), instance.deploymentId, instance.id, instance.tier],
    );
    return token;
  }

  /** Revokes every token of the instance; idempotent. */
  async revokeInstance(instanceId: string, em?: EntityManager): Promise<void> {
    await (em ?? this.db.manager).query(
      `UPDATE guest_tokens SET revoked_at = now() WHERE instance_id = $1 AND revoked_at IS NULL`,
      [instanceId],
    );
  }

  /**
   * The instance a token speaks for, or null when the token is malformed, unknown, revoked, or its
   * instance is no longer live. The token is its own scope: it names exactly one tenant's instance.
   */
  async resolve(token: string): Promise<GuestIdentity | null> {
    if (!GUEST_TOKEN.test(token)) return null;
    const rows: GuestIdentity[] = await this.db.query(
      `SELECT t.name AS "tenantName", g.deployment_id AS "deploymentId", g.instance_id AS "instanceId",
              g.tier, i.address
         FROM guest_tokens g
         JOIN deployment_instances i ON i.id = g.instance_id
         JOIN tenants t ON t.id = g.tenant_id
        WHERE g.token_hash = $1 AND g.revoked_at IS NULL
          AND i.state <> 'terminated' AND i.address IS NOT NULL`,
      [hashGuestToken(token)],
    );
    return rows[0] ?? null;
  }
}

export function hashGuestToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
