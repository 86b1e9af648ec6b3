import { Inject, Injectable } from '@nestjs/common';
import {
  planDeployment,
  type EnvironmentCatalog,
  type ExpandedBlueprint,
  type ParameterValue,
  type Placement,
  type Problem,
  type TierPlan,
} from '@switchyard/blueprints';
import {
  costUnits,
  countUnits,
  planAmounts,
  quantity,
  QUOTA_RESOURCES,
  QuotaLedger,
  shown as shownAmount,
  type QuotaAmounts,
} from '@switchyard/core/governance';
import type { Principal } from '../../auth/principal.js';
import { AppException } from '../../common/app.exception.js';
import { EnvironmentCatalogService } from '../../environments/environment-catalog.service.js';
import { PlacementRepository, type PlacementExplanation } from './placement.repository.js';
import { ruleRefusals } from './placement-rules.util.js';

type Candidate = PlacementExplanation['tiers'][number]['candidates'][number];

export interface PlacementChoice {
  placement: Placement;
  explanation: PlacementExplanation;
}

/**
 * Where an order's tiers go when it leaves placement out, under its tenant's placement policy:
 * every environment the tenant may use is considered for each tier, refused by a policy rule,
 * by a quota it would break or by having no price for the tier, and the cheapest allowed one is
 * chosen. The explanation names each environment and why.
 */
@Injectable()
export class PlacementChooser {
  constructor(
    @Inject(PlacementRepository) private readonly repo: PlacementRepository,
    @Inject(EnvironmentCatalogService) private readonly environments: EnvironmentCatalogService,
    @Inject(QuotaLedger) private readonly ledger: QuotaLedger,
  ) {}

  async choose(
    caller: Principal,
    blueprint: ExpandedBlueprint,
    parameters: Readonly<Record<string, ParameterValue>>,
  ): Promise<PlacementChoice> {
    const policy = (await this.repo.policy(caller.tenantId)) ?? { rules: [], strategy: 'cheapest' };
    const catalogs = await this.environments.usable(caller);
    const tags = await this.repo.tags(
      caller.tenantId,
      catalogs.map((c) => c.name),
    );
    const room = new QuotaRoom(
      await this.ledger.limits(caller.tenantId),
      await this.ledger.usage(caller.tenantId),
    );
    const tiers: PlacementExplanation['tiers'] = [];
    const problems: Problem[] = [];
    let currency: string | undefined;
    for (const tier of Object.values(blueprint.tiers)) {
      const candidates: Candidate[] = catalogs.map((catalog) => {
        const reasons: Candidate['reasons'] = ruleRefusals(
          policy.rules,
          tier,
          tags.get(catalog.name) ?? [],
        ).map((message) => ({ kind: 'policy', message }));
        const priced = priceTier(blueprint, tier.name, parameters, catalog);
        if ('problem' in priced) reasons.push({ kind: 'price', message: priced.problem });
        else if (currency && catalog.currency !== currency)
          reasons.push({
            kind: 'price',
            message: `prices in ${catalog.currency}; the order's other tiers in ${currency}`,
          });
        const plan = 'plan' in priced ? priced.plan : undefined;
        if (plan) {
          const over = room.refusal(catalog.name, planAmounts({ currency: catalog.currency, tiers: [plan] }));
          if (over) reasons.push({ kind: 'quota', message: over });
        }
        return {
          environment: catalog.name,
          verdict: reasons.length ? 'refused' : 'allowed',
          monthlyCost: plan ? plan.total.monthly : null,
          reasons,
        };
      });
      const best = cheapest(candidates);
      if (!best) {
        const why = candidates.map((c) => `${c.environment}: ${c.reasons.map((r) => r.message).join('; ')}`);
        problems.push({
          path: `placement.tiers.${tier.name}`,
          message: `no environment allowed for ${tier.name} (${why.join(' | ') || 'none you may use'})`,
        });
        tiers.push({ tier: tier.name, chosen: '', candidates });
        continue;
      }
      best.verdict = 'chosen';
      best.reasons.push({
        kind: 'price',
        message: `cheapest allowed: ${best.monthlyCost!.amount} ${best.monthlyCost!.currency} a month`,
      });
      currency = best.monthlyCost!.currency;
      const plan = priceTier(
        blueprint,
        tier.name,
        parameters,
        catalogs.find((c) => c.name === best.environment)!,
      );
      if ('plan' in plan) room.take(best.environment, planAmounts({ currency, tiers: [plan.plan] }));
      tiers.push({ tier: tier.name, chosen: best.environment, candidates });
    }
    if (problems.length) throw AppException.invalid(problems, 'No placement satisfies the placement policy');
    const [first] = tiers;
    return {
      placement: {
        default: first!.chosen,
        tiers: Object.fromEntries(tiers.map((t) => [t.tier, t.chosen])),
      },
      explanation: { strategy: policy.strategy, tiers },
    };
  }

  /** An order's own placement, checked against the tenant's rules (400 at each tier refused). */
  async check(caller: Principal, blueprint: ExpandedBlueprint, placement: Placement): Promise<void> {
    const policy = await this.repo.policy(caller.tenantId);
    if (!policy?.rules.length) return;
    const where = (tier: string) => placement.tiers?.[tier] ?? placement.default;
    const tags = await this.repo.tags(caller.tenantId, Object.keys(blueprint.tiers).map(where));
    const problems = Object.values(blueprint.tiers).flatMap((tier) =>
      ruleRefusals(policy.rules, tier, tags.get(where(tier.name)) ?? []).map((message) => ({
        path: placement.tiers?.[tier.name] ? `placement.tiers.${tier.name}` : 'placement.default',
        message: `${where(tier.name)} is refused by the placement policy: ${message}`,
      })),
    );
    if (problems.length) throw AppException.invalid(problems, 'The placement breaks the placement policy');
  }
}

/** The tier alone, planned in one environment: its plan, or why it cannot go there. */
function priceTier(
  blueprint: ExpandedBlueprint,
  tier: string,
  parameters: Readonly<Record<string, ParameterValue>>,
  catalog: EnvironmentCatalog,
): { plan: TierPlan } | { problem: string } {
  const alone: ExpandedBlueprint = {
    ...blueprint,
    tiers: { [tier]: { ...blueprint.tiers[tier]!, dependsOn: [] } },
    connections: blueprint.connections.filter((c) =>
      [c.from, c.to].every((end) => end === tier || !blueprint.tiers[end]),
    ),
  };
  const planned = planDeployment({
    blueprint: alone,
    parameters,
    placement: { default: catalog.name },
    environments: { [catalog.name]: catalog },
  });
  if (!planned.ok) return { problem: planned.problems.map((p) => p.message).join('; ') };
  return { plan: planned.plan.tiers[0]! };
}

function cheapest(candidates: Candidate[]): Candidate | undefined {
  const allowed = candidates.filter((c) => c.verdict === 'allowed' && c.monthlyCost);
  const units = (c: Candidate) => costUnits(c.monthlyCost!.amount);
  // by price, then by name (candidates come sorted by name)
  return allowed.reduce<Candidate | undefined>(
    (best, c) => (!best || units(c) < units(best) ? c : best),
    undefined,
  );
}

/** What is left under the tenant's quotas as tiers are placed one by one (advice; the reservation decides). */
class QuotaRoom {
  constructor(
    private readonly limits: Awaited<ReturnType<QuotaLedger['limits']>>,
    private readonly held: { environment: string; amounts: QuotaAmounts }[],
  ) {}

  take(environment: string, amounts: Map<string, QuotaAmounts>): void {
    const a = amounts.get(environment);
    if (a) this.held.push({ environment, amounts: a });
  }

  refusal(environment: string, amounts: Map<string, QuotaAmounts>): string | undefined {
    const need = amounts.get(environment);
    if (!need) return undefined;
    for (const limit of this.limits) {
      if (limit.environment !== '' && limit.environment !== environment) continue;
      for (const resource of QUOTA_RESOURCES) {
        const max = limit[resource];
        if (max === null) continue;
        if (resource === 'monthlyCost' && need.currency !== limit.currency) continue;
        const used = this.held
          .filter((h) => limit.environment === '' || h.environment === limit.environment)
          .filter((h) => resource !== 'monthlyCost' || h.amounts.currency === limit.currency)
          .reduce((n, h) => n + quantity(h.amounts, resource), 0n);
        const wanted = quantity(need, resource);
        // the limit in the same units as the amounts (vCPUs in thousandths, the cost in units)
        const cap =
          resource === 'monthlyCost'
            ? quantity({ ...need, monthlyCost: String(max) }, resource)
            : countUnits(resource, Number(max));
        if (used + wanted > cap) {
          const shown = (v: bigint) => String(shownAmount(resource, v));
          const whose = limit.environment ? `the quota on ${limit.environment}` : "the tenant's quota";
          return `${resource} over ${whose}: ${shown(used)} used of ${shown(cap)}, the tier needs ${shown(wanted)}`;
        }
      }
    }
    return undefined;
  }
}
