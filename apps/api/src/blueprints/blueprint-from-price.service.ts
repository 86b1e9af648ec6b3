import { Inject, Injectable } from '@nestjs/common';
import {
  parseDecimal,
  planDeployment,
  resolveParameters,
  type DeploymentPlan,
  type EnvironmentCatalog,
} from '@switchyard/blueprints';
import type { Principal } from '../auth/principal.js';
import type { Page } from '../common/pagination.js';
import { EnvironmentCatalogService } from '../environments/environment-catalog.service.js';
import { EntitlementsService } from '../governance/entitlements/entitlements.service.js';
import { BlueprintLoaderService } from './blueprint-loader.service.js';
import type {
  BlueprintFromPriceDto,
  BlueprintListItemDto,
  BlueprintListQuery,
  BlueprintSummaryDto,
} from './blueprints.dto.js';
import { BlueprintsService } from './blueprints.service.js';

/**
 * "From $X/month" for catalog cards: the latest published version planned with its default
 * parameters on every environment the caller may use, all tiers in one; the cheapest wins.
 * Required parameters without a default do not change sizes or counts unless a count uses one;
 * then that blueprint has no "from" price.
 */
@Injectable()
export class BlueprintFromPriceService {
  constructor(
    @Inject(BlueprintsService) private readonly blueprints: BlueprintsService,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(EnvironmentCatalogService) private readonly catalogs: EnvironmentCatalogService,
    @Inject(EntitlementsService) private readonly entitlements: EntitlementsService,
  ) {}

  /** A page of the catalog with the "from" price of each item (GET /api/v1/blueprints). */
  async list(caller: Principal, query: BlueprintListQuery): Promise<Page<BlueprintListItemDto>> {
    // the tenant's entitlements read once, for the blueprints listed and the environments priced on
    const entitled = await this.entitlements.filters(caller);
    const [page, environments] = await Promise.all([
      this.blueprints.list(caller, query, entitled.blueprints),
      this.catalogs.usableUnder(caller, entitled.environments),
    ]);
    return this.withFromPrices(caller, page, environments);
  }

  private async withFromPrices(
    caller: Principal,
    page: Page<BlueprintSummaryDto>,
    environments: EnvironmentCatalog[],
  ): Promise<Page<BlueprintListItemDto>> {
    const items = await Promise.all(
      page.items.map(async (item) => ({ ...item, from: await this.fromPrice(caller, item, environments) })),
    );
    return { ...page, items };
  }

  private async fromPrice(
    caller: Principal,
    item: BlueprintSummaryDto,
    environments: EnvironmentCatalog[],
  ): Promise<BlueprintFromPriceDto | null> {
    if (item.kind !== 'Blueprint' || item.latestVersion === null || environments.length === 0) return null;
    const { row, version } = await this.blueprints.resolve(caller, item.name, item.latestVersion);
    const loaded = await this.loader.load(row.tenantId, version.source, version.contentType);
    if (!loaded.ok) return null;
    const { values } = resolveParameters(loaded.expanded, {});
    const byName = Object.fromEntries(environments.map((e) => [e.name, e]));
    const plans = environments.flatMap((environment): DeploymentPlan[] => {
      const planned = planDeployment({
        blueprint: loaded.expanded,
        parameters: values,
        placement: { default: environment.name, tiers: {} },
        environments: byName,
      });
      return planned.ok ? [planned.plan] : [];
    });
    const cheapest = cheapestPlan(plans);
    if (!cheapest) return null;
    return { monthly: cheapest.total.monthly, environment: cheapest.tiers[0]?.environment ?? '' };
  }
}

/**
 * The plan of least monthly cost among those in the currency most of them use (amounts in
 * different currencies do not compare); ties go to the first.
 */
export function cheapestPlan(plans: DeploymentPlan[]): DeploymentPlan | undefined {
  const counts = new Map<string, number>();
  for (const p of plans) counts.set(p.currency, (counts.get(p.currency) ?? 0) + 1);
  const currency = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  let best: { plan: DeploymentPlan; amount: bigint } | undefined;
  for (const plan of plans.filter((p) => p.currency === currency)) {
    const amount = parseDecimal(plan.total.monthly.amount) ?? 0n;
    if (!best || amount < best.amount) best = { plan, amount };
  }
  return best?.plan;
}
