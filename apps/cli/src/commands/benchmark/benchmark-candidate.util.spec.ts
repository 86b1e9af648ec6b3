import { UsageError } from '../../core/flags.js';
import { parseCandidate } from './benchmark-candidate.util.js';

describe('parseCandidate', () => {
  it('reads an environment, per-tier environments and per-tier instance types', () => {
    expect(parseCandidate('aws-us-east-1')).toEqual({
      placement: { default: 'aws-us-east-1', tiers: {} },
      instanceTypes: {},
    });
    expect(parseCandidate('aws-us-east-1,db=vsphere-dc1,web:t3.small')).toEqual({
      placement: { default: 'aws-us-east-1', tiers: { db: 'vsphere-dc1' } },
      instanceTypes: { web: 't3.small' },
    });
  });

  it('refuses what it cannot read', () => {
    expect(() => parseCandidate('db=vsphere-dc1')).toThrow(UsageError);
    expect(() => parseCandidate('aws,web')).toThrow(UsageError);
    expect(() => parseCandidate('')).toThrow(UsageError);
  });
});
