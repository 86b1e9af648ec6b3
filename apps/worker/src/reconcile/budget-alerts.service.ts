import { Inject, Injectable, Logger } from '@nestjs/common';
import { WebhookOutbox } from '@switchyard/core/webhooks';
import { DataSource } from 'typeorm';

/** One alert raised in a round. */
export interface RaisedAlert {
  tenantId: string;
  threshold: number;
  spent: string;
  budget: string;
  currency: string;
}

/**
 * Budget alerts: for every tenant with a budget, each threshold its month's forecast (the monthly
 * run rate of what it holds: its quota reservations' monthly cost, in the budget's currency)
 * reached raises one `budget.threshold` alert a month, kept in budget_alerts (the insert that
 * wins is the one alert, whatever the number of workers), and sent to the tenant's webhooks that
 * want `budget.threshold` in the same transaction (no alert row without its deliveries).
 */
@Injectable()
export class BudgetAlerts {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WebhookOutbox) private readonly webhooks: WebhookOutbox,
  ) {}

  async run(now = new Date()): Promise<RaisedAlert[]> {
    const month = `${now.toISOString().slice(0, 7)}-01`;
    // one transaction: whatever announces an alert (an event, a webhook) commits with its row
    const raised = await this.db.transaction(async (em) => {
      const rows = await em.query<RaisedAlert[]>(
        `WITH held AS (
         SELECT b.tenant_id, b.monthly_amount AS budget, b.currency, b.thresholds,
                COALESCE((SELECT sum(r.monthly_cost) FROM quota_reservations r
                           WHERE r.tenant_id = b.tenant_id AND r.currency = b.currency), 0) AS spent
           FROM budgets b)
       INSERT INTO budget_alerts (tenant_id, month, threshold, basis, spent, budget, currency)
       SELECT h.tenant_id, $1::date, t, 'forecast', h.spent, h.budget, h.currency
         FROM held h CROSS JOIN LATERAL unnest(h.thresholds) t
        WHERE h.spent * 100 >= h.budget * t
       ON CONFLICT (tenant_id, month, threshold, basis) DO NOTHING
       RETURNING tenant_id AS "tenantId", threshold, round(spent, 2)::text AS spent, round(budget, 2)::text AS budget,
                 trim(currency) AS currency`,
        [month],
      );
      for (const a of rows) {
        await this.webhooks.emit(em, a.tenantId, 'budget.threshold', {
          month: month.slice(0, 7),
          threshold: a.threshold,
          basis: 'forecast',
          spent: { amount: a.spent, currency: a.currency },
          budget: { amount: a.budget, currency: a.currency },
        });
      }
      return rows;
    });
    for (const a of raised) {
      this.logger.log(
        {
          tenant: a.tenantId,
          threshold: a.threshold,
          spent: a.spent,
          budget: a.budget,
          currency: a.currency,
        },
        'budget.threshold',
      );
    }
    return raised;
  }
}
