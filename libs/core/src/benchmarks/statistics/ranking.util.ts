import type { BenchmarkRanking, CandidateResult, RankingEntry } from '../benchmark.types.js';
import { intervalsOverlap, type Interval } from './summary.util.js';

export interface RankedCandidate {
  position: number;
  label: string;
  result: CandidateResult;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "1,240 (95% CI 1,180–1,300)" */
export function describeFigure(mean: number, interval: Interval | null): string {
  return interval ? `${fmt(mean)} (95% CI ${fmt(interval.low)}–${fmt(interval.high)})` : `${fmt(mean)}`;
}

function rankBy(
  items: RankedCandidate[],
  figure: (c: RankedCandidate) => { mean: number; interval: Interval | null },
  what: string,
): RankingEntry | null {
  const sorted = [...items].sort((a, b) => figure(b).mean - figure(a).mean);
  const [best, next] = sorted;
  if (!best) return null;
  const bf = figure(best);
  if (!next) {
    return {
      candidate: best.position,
      label: best.label,
      significant: null,
      note: `${best.label}: the only candidate measured`,
    };
  }
  const nf = figure(next);
  const significant = bf.interval && nf.interval ? !intervalsOverlap(bf.interval, nf.interval) : null;
  const tail =
    significant === true
      ? 'the difference is significant (95% intervals do not overlap)'
      : significant === false
        ? 'the difference is not significant: the 95% intervals overlap'
        : 'significance unknown: fewer than two runs';
  return {
    candidate: best.position,
    label: best.label,
    significant,
    runnerUp: next.position,
    note: `${what}: ${best.label} ${describeFigure(bf.mean, bf.interval)} over ${next.label} ${describeFigure(nf.mean, nf.interval)}; ${tail}`,
  };
}

/** Best value (req/s per $/h), fastest (req/s), and the cheapest that meets the SLO. */
export function rankCandidates(items: RankedCandidate[]): BenchmarkRanking {
  const bestValue = rankBy(items, (c) => c.result.perDollarHour, 'best value (req/s per $/h)');
  const fastest = rankBy(items, (c) => c.result.throughput, 'fastest (req/s)');
  const meeting = items
    .filter((c) => c.result.sloMet === true)
    .sort((a, b) => Number(a.result.cost.hourly) - Number(b.result.cost.hourly));
  const cheapest = meeting[0];
  const cheapestMeetingSlo: RankingEntry | null = cheapest
    ? {
        candidate: cheapest.position,
        label: cheapest.label,
        significant: null,
        note: `cheapest meeting the SLO: ${cheapest.label} at ${cheapest.result.cost.hourly} ${cheapest.result.cost.currency}/h`,
      }
    : null;
  const notes = [bestValue?.note, fastest?.note, cheapestMeetingSlo?.note].filter((n): n is string => !!n);
  return { bestValue, fastest, cheapestMeetingSlo, notes };
}
