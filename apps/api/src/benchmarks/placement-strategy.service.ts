import { Inject, Injectable } from '@nestjs/common';
import {
  BenchmarkRepository,
  describeFigure,
  intervalsOverlap,
  type BenchmarkCandidateEntity,
  type CandidateResult,
  type Interval,
} from '@switchyard/core/benchmarks';
import type { PlacementChoice } from '@switchyard/core/deployments';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException } from '../common/app.exception.js';
import type { PlacementStrategy } from '../deployments/deployments.dto.js';

type Measured = BenchmarkCandidateEntity & { result: CandidateResult };

interface Scored {
  environment: string;
  candidate: Measured;
  mean: number;
  interval: Interval | null;
}

const UNIT: Record<PlacementStrategy, string> = {
  'best-value': ' req/s per $/h',
  fastest: ' req/s',
  'cheapest-meeting-slo': '/h',
};

/**
 * Placement from the numbers: among the environments named, the one (and the instance types) the
 * blueprint's latest measured results favour (the newest result of each candidate with every
 * tier on one environment), with the reason the deployment records.
 */
@Injectable()
export class PlacementStrategyService {
  constructor(@Inject(BenchmarkRepository) private readonly benchmarks: BenchmarkRepository) {}

  async choose(
    caller: Principal,
    blueprint: string,
    strategy: PlacementStrategy,
    among: string[],
  ): Promise<{ environment: string; instanceTypes: Record<string, string>; choice: PlacementChoice }> {
    const envs = [...new Set(among)];
    const latest = (await this.benchmarks.latestMeasured(tenantScope(caller), blueprint, envs)).filter(
      (c): c is Measured & { measuredAt: Date } => c.result !== null,
    );
    if (latest.length === 0) {
      throw AppException.conflict(
        `no measured benchmark of ${blueprint} on ${envs.join(', ')}: run one first (POST /api/v1/benchmarks)`,
        [
          {
            path: 'placement.among',
            message: 'no environment here has benchmark results for this blueprint',
          },
        ],
      );
    }
    const scored = latest.map((c) => score(strategy, c));
    const usable =
      strategy === 'cheapest-meeting-slo' ? scored.filter((s) => s.candidate.result.sloMet) : scored;
    if (usable.length === 0) {
      throw AppException.conflict(`no environment's latest results of ${blueprint} meet their SLO`, [
        { path: 'placement.strategy', message: 'no candidate met the SLO' },
      ]);
    }
    // cheapest: the lowest cost wins; otherwise the highest figure
    usable.sort((a, b) => (strategy === 'cheapest-meeting-slo' ? a.mean - b.mean : b.mean - a.mean));
    const [best, next] = usable as [Scored, Scored | undefined];
    const unit = UNIT[strategy];
    const money = (s: Scored) => `${s.candidate.currency} ${s.candidate.hourlyCost}`;
    const show = (s: Scored) =>
      strategy === 'cheapest-meeting-slo'
        ? `${money(s)}${unit}`
        : `${describeFigure(s.mean, s.interval)}${unit}`;
    const short = (s: Scored) =>
      strategy === 'cheapest-meeting-slo'
        ? money(s)
        : s.interval
          ? describeFigure(s.mean, s.interval).replace(/95% CI /, '')
          : describeFigure(s.mean, null);
    let reason = `${best.candidate.label}: ${show(best)}`;
    if (next) {
      reason += ` over ${next.candidate.label}: ${short(next)}`;
      if (
        strategy !== 'cheapest-meeting-slo' &&
        best.interval &&
        next.interval &&
        intervalsOverlap(best.interval, next.interval)
      )
        reason += ' (not significant: the 95% intervals overlap)';
    }
    const missing = envs.filter((e) => !latest.some((c) => c.environments[0] === e));
    if (missing.length) reason += `; no results for ${missing.join(', ')}`;
    const { instanceTypes } = best.candidate;
    return {
      environment: best.environment,
      instanceTypes,
      choice: {
        strategy,
        among: envs,
        reason,
        instanceTypes,
        benchmarkIds: [...new Set(latest.map((c) => c.benchmarkId))],
      },
    };
  }
}

function score(strategy: PlacementStrategy, c: Measured): Scored {
  const environment = c.environments[0]!;
  if (strategy === 'best-value') return { environment, candidate: c, ...c.result.perDollarHour };
  if (strategy === 'fastest')
    return {
      environment,
      candidate: c,
      mean: c.result.throughput.mean,
      interval: c.result.throughput.interval,
    };
  return { environment, candidate: c, mean: Number(c.hourlyCost), interval: null };
}
