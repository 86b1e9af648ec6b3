import { Inject, Injectable } from '@nestjs/common';
import { tenantOnly, UnitOfWork } from '@switchyard/core/database';
import { costText, costUnits } from '@switchyard/core/governance';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { AppException } from '../../common/app.exception.js';
import { DeploymentUsageRepository } from '../../costs/deployment-usage.repository.js';
import { summarizeSpend } from '../../costs/spend-summary.util.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { governedTenant } from '../governed-tenant.util.js';
import { DEFAULT_THRESHOLDS, type BudgetDto, type PutBudgetDto } from './budgets.dto.js';
import { BudgetsRepository } from './budgets.repository.js';

/**
 * A monthly budget per tenant (set by its operators, or admins), alerts at its thresholds
 * (raised by the worker's reconcile round, once a month each), and where the month stands.
 */
@Injectable()
export class BudgetsService {
  constructor(
    @Inject(BudgetsRepository) private readonly repo: BudgetsRepository,
    @Inject(DeploymentUsageRepository) private readonly usage: DeploymentUsageRepository,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async get(caller: Principal, tenantName?: string): Promise<BudgetDto> {
    const tenant = await governedTenant(this.tenants, caller, tenantName);
    const now = new Date();
    const month = `${now.toISOString().slice(0, 7)}-01`;
    const budget = await this.repo.find(tenant.id);
    const alerts = await this.repo.alerts(tenant.id, month);
    if (!budget) {
      return {
        tenant: tenant.name,
        budget: null,
        thresholds: DEFAULT_THRESHOLDS,
        month,
        forecast: null,
        monthToDate: null,
        percent: null,
        alerts: [],
      };
    }
    const { currency } = budget;
    const forecast = await this.repo.runRate(tenant.id, currency);
    const spend = summarizeSpend(await this.usage.billed(tenantOnly(tenant.id)), now);
    const mtd = spend.currencies.find((c) => c.currency === currency)?.monthToDate ?? {
      amount: '0.00',
      currency,
    };
    const limit = costUnits(budget.amount);
    // percent to one decimal, from exact units
    const percent = Number((costUnits(forecast) * 1000n) / limit) / 10;
    return {
      tenant: tenant.name,
      budget: { amount: costText(limit), currency },
      thresholds: budget.thresholds,
      month,
      forecast: { amount: costText(costUnits(forecast)), currency },
      monthToDate: mtd,
      percent,
      alerts: alerts.map((a) => ({
        threshold: a.threshold,
        basis: a.basis,
        spent: { amount: costText(costUnits(a.spent)), currency: a.currency },
        budget: { amount: costText(costUnits(a.budget)), currency: a.currency },
        createdAt: a.createdAt.toISOString(),
      })),
    };
  }

  async put(caller: Principal, dto: PutBudgetDto): Promise<BudgetDto> {
    const tenant = await governedTenant(this.tenants, caller, dto.tenant);
    if (costUnits(dto.amount) === 0n)
      throw AppException.invalid([{ path: 'amount', message: 'must be more than 0' }]);
    const after = {
      amount: costText(costUnits(dto.amount)),
      currency: dto.currency,
      thresholds: [...(dto.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b),
    };
    await this.uow.run(async (em) => {
      const before = await this.repo.lock(em, tenant.id);
      await this.repo.put(em, tenant.id, after, caller.userName);
      await this.audit.record(em, caller, {
        tenantId: tenant.id,
        action: 'budget.set',
        resourceType: 'budget',
        resourceId: tenant.name,
        before: before ? { ...before, amount: costText(costUnits(before.amount)) } : null,
        after,
      });
    });
    return this.get(caller, tenant.name);
  }
}
