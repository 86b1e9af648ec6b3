import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface LeasePolicy {
  maxLeaseHours: number;
  warnBeforeMinutes: number;
}

/** Lease policies per tenant, and a deployment's lease. */
@Injectable()
export class LeasesRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async policy(tenantId: string, em: EntityManager = this.db.manager): Promise<LeasePolicy | null> {
    const [row] = await em.query<LeasePolicy[]>(
      `SELECT max_lease_hours AS "maxLeaseHours", warn_before_minutes AS "warnBeforeMinutes"
         FROM lease_policies WHERE tenant_id = $1`,
      [tenantId],
    );
    return row ?? null;
  }

  async lockPolicy(em: EntityManager, tenantId: string): Promise<LeasePolicy | null> {
    await em.query(`SELECT 1 FROM lease_policies WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
    return this.policy(tenantId, em);
  }

  async putPolicy(em: EntityManager, tenantId: string, p: LeasePolicy, by: string): Promise<void> {
    await em.query(
      `INSERT INTO lease_policies (tenant_id, max_lease_hours, warn_before_minutes, updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET max_lease_hours = $2, warn_before_minutes = $3,
         updated_by = $4, updated_at = date_trunc('milliseconds', now())`,
      [tenantId, p.maxLeaseHours, p.warnBeforeMinutes, by],
    );
  }

  async setLeaseHours(em: EntityManager, deploymentId: string, hours: number): Promise<void> {
    await em.query(`UPDATE deployments SET lease_hours = $2, updated_at = now() WHERE id = $1`, [
      deploymentId,
      hours,
    ]);
  }
}
