import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface BudgetRow {
  amount: string;
  currency: string;
  thresholds: number[];
}

export interface BudgetAlertRow {
  threshold: number;
  basis: string;
  spent: string;
  budget: string;
  currency: string;
  createdAt: Date;
}

/** A tenant's monthly budget, its alerts, and what it holds (for the run rate). */
@Injectable()
export class BudgetsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async find(tenantId: string, em: EntityManager = this.db.manager): Promise<BudgetRow | null> {
    const [row] = await em.query<BudgetRow[]>(
      `SELECT monthly_amount::text AS amount, currency, thresholds FROM budgets WHERE tenant_id = $1`,
      [tenantId],
    );
    return row ? { ...row, currency: row.currency.trim() } : null;
  }

  async lock(em: EntityManager, tenantId: string): Promise<BudgetRow | null> {
    await em.query(`SELECT 1 FROM budgets WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
    return this.find(tenantId, em);
  }

  async put(em: EntityManager, tenantId: string, b: BudgetRow, by: string): Promise<void> {
    await em.query(
      `INSERT INTO budgets (tenant_id, monthly_amount, currency, thresholds, updated_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET monthly_amount = $2, currency = $3, thresholds = $4,
         updated_by = $5, updated_at = date_trunc('milliseconds', now())`,
      [tenantId, b.amount, b.currency, b.thresholds, by],
    );
  }

  /** The monthly cost of what the tenant's deployments hold now, in one currency. */
  async runRate(tenantId: string, currency: string): Promise<string> {
    const [row] = await this.db.query<{ sum: string }[]>(
      `SELECT COALESCE(sum(monthly_cost), 0)::text AS sum FROM quota_reservations
        WHERE tenant_id = $1 AND currency = $2`,
      [tenantId, currency],
    );
    return row!.sum;
  }

  alerts(tenantId: string, month: string): Promise<BudgetAlertRow[]> {
    return this.db.query<BudgetAlertRow[]>(
      `SELECT threshold, basis, spent::text AS spent, budget::text AS budget, trim(currency) AS currency,
              created_at AS "createdAt"
         FROM budget_alerts WHERE tenant_id = $1 AND month = $2 ORDER BY id`,
      [tenantId, month],
    );
  }
}
