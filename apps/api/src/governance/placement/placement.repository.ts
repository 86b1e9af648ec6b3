import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PlacementRule } from './placement-rules.util.js';

export interface StoredPolicy {
  rules: PlacementRule[];
  strategy: string;
}

/** What the deployment records of how its environments were chosen. */
export interface PlacementExplanation {
  strategy: string;
  tiers: {
    tier: string;
    chosen: string;
    candidates: {
      environment: string;
      verdict: 'chosen' | 'allowed' | 'refused';
      monthlyCost: { amount: string; currency: string } | null;
      reasons: { kind: 'policy' | 'entitlement' | 'quota' | 'price'; message: string }[];
    }[];
  }[];
}

/** Placement policies per tenant, environment tags, and the decisions recorded per deployment. */
@Injectable()
export class PlacementRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async policy(tenantId: string, em: EntityManager = this.db.manager): Promise<StoredPolicy | null> {
    const [row] = await em.query<{ rules: StoredPolicy }[]>(
      `SELECT rules FROM placement_policies WHERE tenant_id = $1`,
      [tenantId],
    );
    return row ? row.rules : null;
  }

  async lock(em: EntityManager, tenantId: string): Promise<StoredPolicy | null> {
    await em.query(`SELECT 1 FROM placement_policies WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
    return this.policy(tenantId, em);
  }

  async put(em: EntityManager, tenantId: string, policy: StoredPolicy, by: string): Promise<void> {
    await em.query(
      `INSERT INTO placement_policies (tenant_id, rules, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET rules = $2, updated_by = $3,
         updated_at = date_trunc('milliseconds', now())`,
      [tenantId, JSON.stringify(policy), by],
    );
  }

  /** Tags of the environments the tenant may use, by name (its own before a shared one). */
  async tags(tenantId: string, names: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.db.query<{ name: string; tags: string[] }[]>(
      `SELECT DISTINCT ON (name) name, tags FROM environments
        WHERE name = ANY($2::text[]) AND (tenant_id = $1 OR shared)
        ORDER BY name, (tenant_id = $1) DESC`,
      [tenantId, names],
    );
    return new Map(rows.map((r) => [r.name, r.tags]));
  }

  async record(em: EntityManager, deploymentId: string, explanation: PlacementExplanation): Promise<void> {
    await em.query(`INSERT INTO placement_decisions (deployment_id, explanation) VALUES ($1, $2)`, [
      deploymentId,
      JSON.stringify(explanation),
    ]);
  }

  async decision(
    deploymentId: string,
  ): Promise<{ explanation: PlacementExplanation; createdAt: Date } | null> {
    const [row] = await this.db.query<{ explanation: PlacementExplanation; createdAt: Date }[]>(
      `SELECT explanation, created_at AS "createdAt" FROM placement_decisions WHERE deployment_id = $1`,
      [deploymentId],
    );
    return row ?? null;
  }
}
