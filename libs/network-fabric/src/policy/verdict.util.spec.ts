import type { RuleConfig } from '../model/objects.model.js';
import { type PolicyState, verdict } from './verdict.util.js';

function rule(
  partial: Partial<RuleConfig> & Pick<RuleConfig, 'policyName' | 'ruleId' | 'direction' | 'action'>,
): RuleConfig {
  return {
    tenantName: 't',
    priority: 1,
    fromEndpointGroup: '',
    fromNetwork: '',
    fromIpAddress: '',
    toEndpointGroup: '',
    toNetwork: '',
    toIpAddress: '',
    protocol: '',
    port: 0,
    ...partial,
  };
}

function state(
  rules: RuleConfig[],
  attach: Record<string, string[]> = { web: ['pw'], db: ['pd'] },
): PolicyState {
  return {
    networks: [
      { networkName: 'net', subnet: '10.0.0.0/24' },
      { networkName: 'other', subnet: '10.9.0.0/24' },
    ],
    groups: [
      { groupName: 'web', networkName: 'net', ipPool: '10.0.0.10-10.0.0.19', policies: attach.web ?? [] },
      { groupName: 'db', networkName: 'net', ipPool: '10.0.0.20-10.0.0.29', policies: attach.db ?? [] },
    ],
    endpoints: [{ ipAddress: '10.0.0.50', groupName: 'db', networkName: 'net' }],
    rules,
  };
}

describe('verdict', () => {
  it('allows by default', () => {
    expect(verdict(state([]), { from: 'web', to: 'db', protocol: 'tcp', port: 5432 })).toEqual({
      action: 'allow',
      decidedBy: 'default allow',
    });
  });

  it('whitelists: low-priority deny plus higher-priority allow', () => {
    const s = state([
      rule({ policyName: 'pd', ruleId: '1', direction: 'in', action: 'deny', priority: 1 }),
      rule({
        policyName: 'pd',
        ruleId: '2',
        direction: 'in',
        action: 'allow',
        priority: 10,
        fromEndpointGroup: 'web',
        protocol: 'tcp',
        port: 5432,
      }),
    ]);
    expect(verdict(s, { from: 'web', to: 'db', protocol: 'tcp', port: 5432 })).toEqual({
      action: 'allow',
      decidedBy: { policy: 'pd', ruleId: '2', priority: 10, direction: 'in' },
    });
    expect(verdict(s, { from: 'web', to: 'db', protocol: 'tcp', port: 22 }).action).toBe('deny');
    expect(verdict(s, { from: 'other', to: 'db', protocol: '6', port: 5432 }).decidedBy).toMatchObject({
      ruleId: '1',
    });
  });

  it('breaks ties toward deny, and treats priority 0 as 1', () => {
    const s = state([
      rule({ policyName: 'pd', ruleId: 'a', direction: 'in', action: 'allow', priority: 0 }),
      rule({
        policyName: 'pw',
        ruleId: 'b',
        direction: 'out',
        action: 'deny',
        priority: 1,
        toEndpointGroup: 'db',
      }),
    ]);
    expect(verdict(s, { from: 'web', to: 'db' })).toEqual({
      action: 'deny',
      decidedBy: { policy: 'pw', ruleId: 'b', priority: 1, direction: 'out' },
    });
  });

  it('acts only through attached policies (detaching removes the effect)', () => {
    const rules = [rule({ policyName: 'pd', ruleId: '1', direction: 'in', action: 'deny' })];
    expect(verdict(state(rules), { from: 'web', to: 'db' }).action).toBe('deny');
    expect(verdict(state(rules, { web: ['pw'], db: [] }), { from: 'web', to: 'db' }).action).toBe('allow');
  });

  it('matches peers by network, CIDR and endpoint address, and protocol numbers by name', () => {
    const s = state([
      rule({
        policyName: 'pd',
        ruleId: 'n',
        direction: 'in',
        action: 'deny',
        priority: 5,
        fromNetwork: 'other',
      }),
      rule({
        policyName: 'pd',
        ruleId: 'c',
        direction: 'in',
        action: 'deny',
        priority: 6,
        fromIpAddress: '192.168.0.0/16',
        protocol: '17',
      }),
    ]);
    expect(verdict(s, { from: '10.9.0.7', to: '10.0.0.50' }).decidedBy).toMatchObject({ ruleId: 'n' });
    expect(verdict(s, { from: '192.168.3.4', to: 'db', protocol: 'udp' }).decidedBy).toMatchObject({
      ruleId: 'c',
    });
    expect(verdict(s, { from: '192.168.3.4', to: 'db', protocol: 'tcp' }).action).toBe('allow');
    // 10.0.0.50 is a db endpoint, so db's in-rules govern traffic to it.
    expect(verdict(s, { from: 'other', to: '10.0.0.50' }).action).toBe('deny');
  });

  it('refuses an unknown party', () => {
    expect(() => verdict(state([]), { from: 'nope', to: 'db' })).toThrow(
      /from: "nope" is not a group, network or IPv4 address/,
    );
  });
});

// Property test: random rule sets against a brute-force reference that scans priorities top down.
describe('verdict against a brute-force reference', () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)] as T;
  const parties = ['web', 'db', 'net', 'other', '10.0.0.15', '10.0.0.50', '10.9.0.1', '8.8.8.8'];

  function reference(
    s: PolicyState,
    from: string,
    to: string,
    protocol: string,
    port: number,
  ): 'allow' | 'deny' {
    const groupOf = (p: string) =>
      p === 'web' || p === '10.0.0.15' ? 'web' : p === 'db' || p === '10.0.0.50' ? 'db' : undefined;
    const netOf = (p: string) =>
      groupOf(p) || p === 'net' ? 'net' : p === 'other' || p === '10.9.0.1' ? 'other' : undefined;
    const ipOf = (p: string) => (/^\d/.test(p) ? p : undefined);
    const peerOk = (g: string, n: string, ip: string, p: string) =>
      g ? groupOf(p) === g : n ? netOf(p) === n : ip ? ipOf(p) === ip : true;
    const attached = (g: string | undefined) => s.groups.find((x) => x.groupName === g)?.policies ?? [];
    const matches = s.rules.filter(
      (r) =>
        (r.protocol === '' || r.protocol === protocol) &&
        (r.port === 0 || r.port === port) &&
        ((r.direction === 'in' &&
          attached(groupOf(to)).includes(r.policyName) &&
          peerOk(r.fromEndpointGroup, r.fromNetwork, r.fromIpAddress, from)) ||
          (r.direction === 'out' &&
            attached(groupOf(from)).includes(r.policyName) &&
            peerOk(r.toEndpointGroup, r.toNetwork, r.toIpAddress, to))),
    );
    for (let p = 100; p >= 1; p--) {
      const level = matches.filter((r) => Math.max(1, r.priority) === p);
      if (level.some((r) => r.action === 'deny')) return 'deny';
      if (level.length > 0) return 'allow';
    }
    return 'allow';
  }

  it('agrees on 3000 random queries over 300 random rule sets', () => {
    for (let set = 0; set < 300; set++) {
      const rules = Array.from({ length: 1 + rand(12) }, (_, i) => {
        const direction = pick(['in', 'out'] as const);
        const side = pick(['group', 'network', 'ip', 'none'] as const);
        const prefix = direction === 'in' ? 'from' : 'to';
        const peer =
          side === 'group'
            ? { [`${prefix}EndpointGroup`]: pick(['web', 'db']) }
            : side === 'network'
              ? { [`${prefix}Network`]: pick(['net', 'other']) }
              : side === 'ip'
                ? { [`${prefix}IpAddress`]: pick(['10.0.0.15', '10.0.0.50', '8.8.8.8']) }
                : {};
        return rule({
          policyName: pick(['pw', 'pd', 'px']),
          ruleId: String(i),
          direction,
          action: pick(['allow', 'deny'] as const),
          priority: rand(4),
          protocol: pick(['', 'tcp', 'udp']),
          port: pick([0, 80, 443]),
          ...peer,
        });
      });
      const s = state(rules, { web: pick([['pw'], ['pw', 'px'], []]), db: pick([['pd'], ['pd', 'px'], []]) });
      for (let q = 0; q < 10; q++) {
        const [from, to, protocol, port] = [
          pick(parties),
          pick(parties),
          pick(['tcp', 'udp']),
          pick([80, 443, 22]),
        ];
        const got = verdict(s, { from, to, protocol, port });
        expect({ from, to, protocol, port, action: got.action }).toEqual({
          from,
          to,
          protocol,
          port,
          action: reference(s, from, to, protocol, port),
        });
      }
    }
  });
});
