import { nextSubnet } from './subnet-pool.util.js';

describe('nextSubnet', () => {
  it('takes the lowest free /24 of the pool, with a fabric range clear of cloud-reserved addresses', () => {
    expect(nextSubnet('10.200.0.0/16', [])).toEqual({
      cidr: '10.200.0.0/24',
      fabricSubnet: '10.200.0.10-10.200.0.250/24',
      gateway: '10.200.0.1',
    });
  });

  it('skips blocks that overlap subnets already taken, ranged or not', () => {
    const taken = ['10.200.0.10-10.200.0.250/24', '10.200.1.0/25', '10.0.0.0/8'.replace('10.0', '192.168')];
    expect(nextSubnet('10.200.0.0/16', taken)?.cidr).toBe('10.200.2.0/24');
  });

  it('answers undefined when the pool is full, and refuses a pool smaller than a /24', () => {
    expect(nextSubnet('10.9.0.0/24', ['10.9.0.0/24'])).toBeUndefined();
    expect(() => nextSubnet('10.9.0.0/25', [])).toThrow(/\/24 or larger/);
  });
});
