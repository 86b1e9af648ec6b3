import type { ExpandedTier, ParameterValue } from '../blueprint.types.js';
import { parseCidr } from '../net/cidr.util.js';
import { joinPath, type Problem } from '../problem.types.js';
import { wholeParameterRef } from '../validate/interpolation.util.js';
import { dependencyStages, findCycles } from '../validate/tier-graph.util.js';
import { divideRounded, parseDecimal, toMoney } from './money.util.js';
import { planFabric } from './plan-fabric.util.js';
import type { EnvironmentCatalog, InstanceTypeOffer, PlanInput, PlanResult, TierPlan } from './plan.types.js';

export const HOURS_PER_MONTH = 730n;
const MAX_COUNT = 1000;

/** Stages, instance type, image and exact cost per tier, and the fabric objects, for one placement. */
export function planDeployment(input: PlanInput): PlanResult {
  const { blueprint, parameters, environments } = input;
  const problems: Problem[] = [];
  const graph = new Map(Object.values(blueprint.tiers).map((t) => [t.name, t.dependsOn] as const));
  const cycle = findCycles(graph)[0];
  if (cycle) return fail({ path: 'tiers', message: `dependency cycle: ${cycle.tiers.join(' -> ')}` });
  const environmentOf = placeTiers(input, problems);
  const currencies = new Map<string, string[]>();
  for (const name of new Set(environmentOf.values())) {
    const environment = environments[name];
    if (environment)
      currencies.set(environment.currency, [...(currencies.get(environment.currency) ?? []), name]);
  }
  if (currencies.size > 1) {
    const list = [...currencies].map(([currency, names]) => `${names.join(', ')} in ${currency}`).join('; ');
    problems.push({ path: 'placement', message: `environments price in different currencies: ${list}` });
  }
  checkConnectionParameters(input, problems);
  const stages = dependencyStages(graph);
  const tiers: TierPlan[] = [];
  stages.forEach((stageTiers, stage) => {
    for (const name of stageTiers) {
      const tier = blueprint.tiers[name];
      const environment = environments[environmentOf.get(name) ?? ''];
      if (!tier || !environment) continue;
      const chosen = input.instanceTypes?.[name];
      const planned = planTier(tier, stage, environment, parameters, problems, chosen);
      if (planned) tiers.push(planned);
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  const currency = [...currencies.keys()][0] ?? 'USD';
  const sum = (pick: (t: TierPlan) => string): bigint =>
    tiers.reduce((acc, t) => acc + (parseDecimal(pick(t)) ?? 0n), 0n);
  return {
    ok: true,
    plan: {
      blueprint: { name: blueprint.metadata.name, version: blueprint.metadata.version },
      currency,
      stages,
      tiers,
      total: {
        hourly: toMoney(
          sum((t) => t.total.hourly.amount),
          currency,
        ),
        monthly: toMoney(
          sum((t) => t.total.monthly.amount),
          currency,
        ),
      },
      monthly: {
        compute: toMoney(
          sum((t) => t.monthly.compute.amount),
          currency,
        ),
        disk: toMoney(
          sum((t) => t.monthly.disk.amount),
          currency,
        ),
      },
      fabric: planFabric(blueprint, parameters, environmentOf),
    },
  };
}

function fail(problem: Problem): PlanResult {
  return { ok: false, problems: [problem] };
}

function placeTiers(
  { blueprint, placement, environments }: PlanInput,
  problems: Problem[],
): Map<string, string> {
  const known = (name: string): boolean => Object.hasOwn(environments, name);
  if (!known(placement.default)) {
    problems.push({
      path: 'placement.default',
      message: `"${placement.default}" is not a known environment`,
    });
  }
  for (const [tier, environment] of Object.entries(placement.tiers ?? {})) {
    const path = joinPath('placement.tiers', tier);
    if (!Object.hasOwn(blueprint.tiers, tier)) problems.push({ path, message: `"${tier}" names no tier` });
    else if (!known(environment))
      problems.push({ path, message: `"${environment}" is not a known environment` });
  }
  const environmentOf = new Map<string, string>();
  for (const tier of Object.keys(blueprint.tiers)) {
    const chosen =
      placement.tiers && Object.hasOwn(placement.tiers, tier) ? placement.tiers[tier] : undefined;
    const environment = chosen ?? placement.default;
    if (known(environment)) environmentOf.set(tier, environment);
  }
  return environmentOf;
}

function checkConnectionParameters({ blueprint, parameters }: PlanInput, problems: Problem[]): void {
  for (const connection of blueprint.connections) {
    const name = wholeParameterRef(connection.from);
    if (name === undefined) continue;
    const value = parameters[name];
    if (typeof value !== 'string' || !parseCidr(value).ok) {
      problems.push({
        path: joinPath('parameters', name),
        message: 'needs a CIDR value (used by a connection)',
      });
    }
  }
}

function planTier(
  tier: ExpandedTier,
  stage: number,
  environment: EnvironmentCatalog,
  parameters: Readonly<Record<string, ParameterValue>>,
  problems: Problem[],
  chosenType?: string,
): TierPlan | undefined {
  const path = joinPath('tiers', tier.name);
  const count = evaluateCount(tier, parameters, problems);
  const type =
    chosenType === undefined
      ? chooseInstanceType(tier, environment, problems)
      : namedInstanceType(tier, environment, chosenType, problems);
  const image = environment.images.find((i) => i.os === tier.image.os && i.version === tier.image.version);
  if (!image) {
    problems.push({
      path: joinPath(path, 'image'),
      message: `environment ${environment.name} has no image ${tier.image.os} ${tier.image.version}`,
    });
  }
  const storagePrice =
    environment.storageGiBMonthPrice === undefined ? 0n : parseDecimal(environment.storageGiBMonthPrice);
  if (storagePrice === undefined) {
    problems.push({
      path: `environments.${environment.name}.storageGiBMonthPrice`,
      message: 'is not a decimal price',
    });
  }
  if (count === undefined || !type || !image || storagePrice === undefined) return undefined;
  const diskMonthly = storagePrice * BigInt(tier.size.diskGiB ?? 0);
  // Disk is priced per month; its hourly share is the only rounded figure (to 6 decimals).
  const instanceHourly = type.price + divideRounded(diskMonthly, HOURS_PER_MONTH, 6);
  const instanceMonthly = type.price * HOURS_PER_MONTH + diskMonthly;
  const { currency } = environment;
  const planned: TierPlan = {
    tier: tier.name,
    stage,
    environment: environment.name,
    provider: environment.provider,
    count,
    size: tier.size,
    requestedImage: tier.image,
    instanceType: {
      name: type.offer.name,
      cpu: type.offer.cpu,
      memoryMiB: type.offer.memoryMiB,
      hourlyPrice: toMoney(type.price, currency),
    },
    image,
    perInstance: { hourly: toMoney(instanceHourly, currency), monthly: toMoney(instanceMonthly, currency) },
    total: {
      hourly: toMoney(instanceHourly * BigInt(count), currency),
      monthly: toMoney(instanceMonthly * BigInt(count), currency),
    },
    monthly: {
      compute: toMoney(type.price * HOURS_PER_MONTH * BigInt(count), currency),
      disk: toMoney(diskMonthly * BigInt(count), currency),
    },
  };
  if (environment.region !== undefined) planned.region = environment.region;
  return planned;
}

function evaluateCount(
  tier: ExpandedTier,
  parameters: Readonly<Record<string, ParameterValue>>,
  problems: Problem[],
): number | undefined {
  let count: unknown = tier.count;
  let path = joinPath('tiers', `${tier.name}.count`);
  if (typeof tier.count === 'string') {
    const name = wholeParameterRef(tier.count) ?? '';
    path = joinPath('parameters', name);
    count = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    if (count === undefined) {
      problems.push({ path, message: `needs a value (it is the count of tier ${tier.name})` });
      return undefined;
    }
  }
  const min = tier.scale?.min ?? 1;
  const max = tier.scale?.max ?? MAX_COUNT;
  if (!Number.isSafeInteger(count) || (count as number) < min || (count as number) > max) {
    problems.push({ path, message: `count of tier ${tier.name} must be an integer in ${min}..${max}` });
    return undefined;
  }
  return count as number;
}

// The type a person named for the tier, whatever the tier's size asks (a benchmark compares sizes).
function namedInstanceType(
  tier: ExpandedTier,
  environment: EnvironmentCatalog,
  name: string,
  problems: Problem[],
): { offer: InstanceTypeOffer; price: bigint } | undefined {
  const path = joinPath('instanceTypes', tier.name);
  const offer = environment.instanceTypes.find((o) => o.name === name);
  const price = offer && parseDecimal(offer.hourlyPrice);
  if (!offer)
    problems.push({ path, message: `environment ${environment.name} has no priced instance type "${name}"` });
  else if (price === undefined)
    problems.push({ path, message: `"${offer.hourlyPrice}" is not a decimal price` });
  return offer && price !== undefined ? { offer, price } : undefined;
}

// Cheapest type with enough cpu and memory; ties go to fewer cpus, then the name.
function chooseInstanceType(
  tier: ExpandedTier,
  environment: EnvironmentCatalog,
  problems: Problem[],
): { offer: InstanceTypeOffer; price: bigint } | undefined {
  const candidates: { offer: InstanceTypeOffer; price: bigint }[] = [];
  environment.instanceTypes.forEach((offer, index) => {
    if (offer.cpu < tier.size.cpu || offer.memoryMiB < tier.size.memoryMiB) return;
    const price = parseDecimal(offer.hourlyPrice);
    if (price === undefined) {
      const path = `environments.${environment.name}.instanceTypes.${index}.hourlyPrice`;
      problems.push({ path, message: `"${offer.hourlyPrice}" is not a decimal price` });
      return;
    }
    candidates.push({ offer, price });
  });
  candidates.sort(
    (a, b) =>
      (a.price < b.price ? -1 : a.price > b.price ? 1 : 0) ||
      a.offer.cpu - b.offer.cpu ||
      (a.offer.name < b.offer.name ? -1 : a.offer.name > b.offer.name ? 1 : 0),
  );
  const best = candidates[0];
  if (!best) {
    const { cpu, memoryMiB } = tier.size;
    problems.push({
      path: joinPath('tiers', `${tier.name}.size`),
      message: `no instance type in ${environment.name} fits tier ${tier.name} (${cpu} cpu, ${memoryMiB} MiB)`,
    });
  }
  return best;
}
