import { progressLine } from './deployment-progress.util.js';

const at = (ms: number) => new Date(Date.parse('2026-12-05T10:00:00Z') + ms).toISOString();
const event = (type: string, data: Record<string, unknown>, ms: number, message = '') => ({
  id: String(ms),
  type,
  message,
  data,
  createdAt: at(ms),
});

describe('progressLine', () => {
  const ordered = at(0);

  it('names a build step with its own time and the time since the order', () => {
    expect(progressLine(event('state', { step: 'provision', stepMs: 1234 }, 2500), ordered)).toBe(
      'provision  done in 1.2s  (2.5s since the order)',
    );
  });

  it('names a failed step and what enforces a tier policy, and leaves other events to `deployment events`', () => {
    expect(progressLine(event('step.failed', { step: 'network' }, 900, 'pool full'), ordered)).toBe(
      'network    failed after 0.9s: pool full',
    );
    const enforced =
      'db on vs: 2 rules, 0 by the security group and nftables in the guest; in the guest only …';
    expect(progressLine(event('policy.enforced', {}, 10, enforced), ordered)).toBe(`policy: ${enforced}`);
    expect(progressLine(event('instance.created', {}, 10), ordered)).toBeNull();
    expect(progressLine(event('state', { state: 'stopping' }, 10), ordered)).toBeNull();
  });
});
