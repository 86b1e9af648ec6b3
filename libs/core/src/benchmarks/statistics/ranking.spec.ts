import type { RunFigures } from '../benchmark.types.js';
import { candidateResult } from './candidate-result.util.js';
import { rankCandidates } from './ranking.util.js';

const run = (throughput: number, p95 = 10, errors = 0): RunFigures => ({
  run: 0,
  startedAt: '2026-12-01T00:00:00.000Z',
  durationSeconds: 10,
  requests: 1000,
  throughput,
  errors,
  errorRate: errors / 1000,
  latencyMs: { p50: p95 / 2, p95, p99: p95 * 2, mean: p95 / 2, max: p95 * 3 },
});

describe('candidateResult', () => {
  it('turns runs and the hourly cost into price/performance', () => {
    const r = candidateResult(
      [run(90), run(100), run(110)],
      { hourly: '0.5', currency: 'USD' },
      { p95Ms: 20 },
    );
    expect(r.throughput.mean).toBe(100);
    // req/s per $/h = 100 / 0.5; the interval scales by the same factor
    expect(r.perDollarHour.mean).toBe(200);
    expect(r.perDollarHour.interval!.low).toBeCloseTo(r.throughput.interval!.low * 2, 9);
    // $ per million requests: 0.5 $/h / (100 req/s * 3600 s/h) * 1e6
    expect(r.perMillionRequests).toBeCloseTo(1.3889, 4);
    expect(r.cost.monthly).toBe('365.00');
    expect(r.sloMet).toBe(true);
  });

  it('fails the SLO on latency or errors, and says null without one', () => {
    expect(candidateResult([run(10, 50)], { hourly: '1', currency: 'USD' }, { p95Ms: 20 }).sloMet).toBe(
      false,
    );
    expect(
      candidateResult([run(10, 5, 100)], { hourly: '1', currency: 'USD' }, { maxErrorRate: 0.01 }).sloMet,
    ).toBe(false);
    expect(candidateResult([run(10)], { hourly: '1', currency: 'USD' }, {}).sloMet).toBeNull();
  });
});

describe('rankCandidates', () => {
  const cheapSlow = {
    position: 0,
    label: 'small',
    result: candidateResult([run(95), run(100), run(105)], { hourly: '0.1', currency: 'USD' }, { p95Ms: 20 }),
  };
  const dearFast = {
    position: 1,
    label: 'large',
    result: candidateResult(
      [run(390), run(400), run(410)],
      { hourly: '0.4', currency: 'USD' },
      { p95Ms: 20 },
    ),
  };

  it('names the fastest and the best value, significant when intervals are apart', () => {
    const ranking = rankCandidates([cheapSlow, dearFast]);
    expect(ranking.fastest).toMatchObject({ candidate: 1, significant: true, runnerUp: 0 });
    // 1000 vs 1000 req/s per $/h: the intervals overlap, so the difference is not significant
    expect(ranking.bestValue!.significant).toBe(false);
    expect(ranking.bestValue!.note).toContain('not significant');
    expect(ranking.cheapestMeetingSlo).toMatchObject({ candidate: 0 });
  });

  it('a clear best value is significant', () => {
    const pricier = {
      ...dearFast,
      result: candidateResult([run(390), run(400), run(410)], { hourly: '1', currency: 'USD' }, {}),
    };
    const ranking = rankCandidates([cheapSlow, pricier]);
    expect(ranking.bestValue).toMatchObject({ candidate: 0, significant: true });
    expect(ranking.bestValue!.note).toMatch(
      /^best value \(req\/s per \$\/h\): small 1,000 \(95% CI \d[\d,]*–[\d,]+\) over large 400/,
    );
  });

  it('is empty without measured candidates', () => {
    expect(rankCandidates([])).toEqual({
      bestValue: null,
      fastest: null,
      cheapestMeetingSlo: null,
      notes: [],
    });
  });
});
