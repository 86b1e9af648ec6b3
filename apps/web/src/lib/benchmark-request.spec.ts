import { describe, expect, it } from '@jest/globals';
import { benchmarkRequest } from './benchmark-request';

describe('benchmarkRequest', () => {
  it('reads candidates, parameters, runs and the SLO', () => {
    const out = benchmarkRequest('shop@1.0.0', {
      candidates: 'aws-us-east-1\naws-us-east-1,db=vsphere-dc1,web:t3.small\n',
      parameters: 'dbPassword=s3cret\nappCount=2',
      runs: '3',
      p95Ms: '200',
    });
    expect(out).toEqual({
      request: {
        blueprint: 'shop@1.0.0',
        parameters: { dbPassword: 's3cret', appCount: 2 },
        candidates: [
          { placement: { default: 'aws-us-east-1', tiers: {} }, instanceTypes: {} },
          {
            placement: { default: 'aws-us-east-1', tiers: { db: 'vsphere-dc1' } },
            instanceTypes: { web: 't3.small' },
          },
        ],
        runs: 3,
        slo: { p95Ms: 200 },
      },
    });
  });

  it('names each problem by the request path', () => {
    const out = benchmarkRequest('shop', {
      candidates: 'db=x\naws,web',
      parameters: 'oops',
      runs: '0',
      p95Ms: '',
    });
    expect('problems' in out && out.problems.map((p) => p.path)).toEqual([
      'candidates.0',
      'candidates.1',
      'parameters',
      'runs',
    ]);
  });
});
