import { describe, expect, it } from '@jest/globals';
import { labelFromName, parameterHint, parameterLabel } from './params';

describe('parameter text', () => {
  it('makes a label from an identifier, capitals for known acronyms', () => {
    expect(labelFromName('adminCidr')).toBe('Admin CIDR');
    expect(labelFromName('dbPassword')).toBe('DB password');
    expect(labelFromName('workerCount')).toBe('Worker count');
    expect(labelFromName('ssh_cidr')).toBe('SSH CIDR');
    expect(labelFromName('resourceType')).toBe('Resource type');
  });

  it("prefers the blueprint's own label", () => {
    expect(parameterLabel('adminCidr', { type: 'cidr', label: 'Admin network' })).toBe('Admin network');
    expect(parameterLabel('adminCidr', { type: 'cidr' })).toBe('Admin CIDR');
  });

  it('gives rules in words and never the expression', () => {
    expect(
      parameterHint({ type: 'integer', minimum: 1, maximum: 20, default: 3, description: 'Workers' }),
    ).toBe('Workers — from 1 to 20; 3 if left as it is');
    expect(parameterHint({ type: 'cidr', default: '10.0.0.0/8' })).toBe(
      'An IPv4 network such as 10.0.0.0/8; 10.0.0.0/8 if left as it is',
    );
    const email = parameterHint({ type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' });
    expect(email).toBe('An email address such as name@example.com');
    const custom = parameterHint({ type: 'string', pattern: '^[a-z]+$' });
    expect(custom).toBe('In the form the blueprint asks for');
    expect(parameterHint({ type: 'secret', default: 'hunter2' })).toBe('');
  });
});
