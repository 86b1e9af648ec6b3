import { candidateResult, type BenchmarkRepository, type RunFigures } from '@switchyard/core/benchmarks';
import { strictFake } from '@switchyard/core/testing';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { PlacementStrategyService } from './placement-strategy.service.js';

const caller: Principal = {
  tokenId: 't',
  userId: 'u',
  userName: 'ann',
  tenantId: '00000000-0000-0000-0000-000000000001',
  tenantName: 'default',
  role: 'member',
  delegated: false,
};

const run = (throughput: number, p95 = 10): RunFigures => ({
  run: 0,
  startedAt: '2026-12-01T00:00:00.000Z',
  durationSeconds: 1,
  requests: 100,
  throughput,
  errors: 0,
  errorRate: 0,
  latencyMs: { p50: 1, p95, p99: p95, mean: 1, max: p95 },
});

const measured = (env: string, throughputs: number[], hourly: string, p95 = 10) => ({
  benchmarkId: `b-${env}`,
  label: env,
  instanceTypes: {},
  environments: [env],
  hourlyCost: hourly,
  currency: 'USD',
  result: candidateResult(
    throughputs.map((t) => run(t, p95)),
    { hourly, currency: 'USD' },
    { p95Ms: 50 },
  ),
  measuredAt: new Date(),
});

function service(rows: ReturnType<typeof measured>[]) {
  const repo = strictFake<BenchmarkRepository>('BenchmarkRepository', {
    latestMeasured: async (_scope, _bp, envs) =>
      rows.filter((r) => envs.includes(r.environments[0]!)) as never,
  });
  return new PlacementStrategyService(repo);
}

describe('PlacementStrategyService', () => {
  const vs = measured('vsphere-dc1', [1180, 1240, 1300], '1');
  const aws = measured('aws-us-east-1', [590, 610, 630], '1', 80);

  it('best-value picks the highest req/s per $/h and says why, with both intervals', async () => {
    const { environment, choice } = await service([vs, aws]).choose(caller, 'shop', 'best-value', [
      'aws-us-east-1',
      'vsphere-dc1',
    ]);
    expect(environment).toBe('vsphere-dc1');
    expect(choice.reason).toMatch(
      /^vsphere-dc1: 1,240 \(95% CI 1,0\d\d–1,\d{3}\) req\/s per \$\/h over aws-us-east-1: 610 \(\d{3}–\d{3}\)$/,
    );
    expect(choice.benchmarkIds.sort()).toEqual(['b-aws-us-east-1', 'b-vsphere-dc1']);
  });

  it('says when the difference is not significant, and which environments had no results', async () => {
    const close = measured('aws-us-east-1', [1190, 1230, 1290], '1');
    const { choice } = await service([vs, close]).choose(caller, 'shop', 'fastest', [
      'aws-us-east-1',
      'vsphere-dc1',
      'openstack-lab',
    ]);
    expect(choice.reason).toContain('(not significant: the 95% intervals overlap)');
    expect(choice.reason).toMatch(/; no results for openstack-lab$/);
  });

  it('cheapest-meeting-slo skips a candidate over its SLO', async () => {
    const cheapSlow = measured('aws-us-east-1', [600, 610, 620], '0.1', 80);
    const { environment } = await service([vs, cheapSlow]).choose(caller, 'shop', 'cheapest-meeting-slo', [
      'aws-us-east-1',
      'vsphere-dc1',
    ]);
    expect(environment).toBe('vsphere-dc1');
  });

  it('refuses with 409 when nothing was measured', async () => {
    await expect(service([]).choose(caller, 'shop', 'best-value', ['x'])).rejects.toBeInstanceOf(
      AppException,
    );
  });
});
