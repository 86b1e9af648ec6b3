import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** What a tenant may order and where; null: no limit. */
export interface Entitlement {
  blueprints: string[] | null;
  environments: string[] | null;
  updatedAt: Date | null;
}

export const UNLIMITED: Entitlement = { blueprints: null, environments: null, updatedAt: null };

/** Per-tenant entitlements (tenant_entitlements): one row per tenant that has any. */
@Injectable()
export class EntitlementsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async find(tenantId: string, em: EntityManager = this.db.manager): Promise<Entitlement> {
    const rows: Entitlement[] = await em.query(
      `SELECT blueprints, environments, updated_at AS "updatedAt" FROM tenant_entitlements WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ?? UNLIMITED;
  }

  /** The tenant's row locked for a change (none yet: unlimited, and the upsert writes it). */
  async lock(em: EntityManager, tenantId: string): Promise<Entitlement> {
    const rows: Entitlement[] = await em.query(
      `SELECT blueprints, environments, updated_at AS "updatedAt" FROM tenant_entitlements
        WHERE tenant_id = $1 FOR UPDATE`,
      [tenantId],
    );
    return rows[0] ?? UNLIMITED;
  }

  async save(em: EntityManager, tenantId: string, e: Omit<Entitlement, 'updatedAt'>): Promise<Entitlement> {
    const [row]: Entitlement[] = await em.query(
      `INSERT INTO tenant_entitlements (tenant_id, blueprints, environments) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE
         SET blueprints = EXCLUDED.blueprints, environments = EXCLUDED.environments,
             updated_at = date_trunc('milliseconds', now())
       RETURNING blueprints, environments, updated_at AS "updatedAt"`,
      [tenantId, e.blueprints, e.environments],
    );
    return row!;
  }
}
