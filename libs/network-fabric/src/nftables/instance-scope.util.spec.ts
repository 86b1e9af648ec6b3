import { parseIPv4 } from '../addressing/ip.util.js';
import type { RuleConfig } from '../model/objects.model.js';
import { classifyAddress, compilePolicyState, decide } from '../policy/compiled-policy.util.js';
import type { PolicyState } from '../policy/policy.types.js';
import { scopeToInstance } from './instance-scope.util.js';
import { renderRuleset } from './ruleset.util.js';

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

// two deployments' groups in one tenant: web, db and ops of one, other-web of another; denies and
// allows at several priorities in both directions, an out allow (ops ssh) that outranks deny-alls
const STATE: PolicyState = {
  networks: [
    { networkName: 'front', subnet: '10.0.0.0/24' },
    { networkName: 'back', subnet: '10.1.0.0/24' },
    { networkName: 'elsewhere', subnet: '10.9.0.0/24' },
  ],
  groups: [
    { groupName: 'web', networkName: 'front', ipPool: '', policies: ['web-out'] },
    { groupName: 'db', networkName: 'back', ipPool: '', policies: ['db-in'] },
    { groupName: 'ops', networkName: 'back', ipPool: '', policies: ['ops-out'] },
    { groupName: 'other-web', networkName: 'elsewhere', ipPool: '', policies: ['other-in'] },
  ],
  endpoints: [
    { ipAddress: '10.0.0.5', groupName: 'web', networkName: 'front' },
    { ipAddress: '10.0.0.6', groupName: 'web', networkName: 'front' },
    { ipAddress: '10.1.0.5', groupName: 'db', networkName: 'back' },
    { ipAddress: '10.1.0.9', groupName: 'ops', networkName: 'back' },
    { ipAddress: '10.0.0.7', groupName: '', networkName: 'front' },
    { ipAddress: '10.9.0.5', groupName: 'other-web', networkName: 'elsewhere' },
  ],
  rules: [
    rule({ policyName: 'db-in', ruleId: 'deny-all', direction: 'in', action: 'deny' }),
    rule({
      policyName: 'db-in',
      ruleId: 'pg',
      direction: 'in',
      action: 'allow',
      priority: 10,
      fromEndpointGroup: 'web',
      protocol: 'tcp',
      port: 5432,
    }),
    rule({
      policyName: 'web-out',
      ruleId: 'no-pg',
      direction: 'out',
      action: 'deny',
      priority: 20,
      toIpAddress: '10.1.0.5',
      protocol: 'tcp',
      port: 5432,
    }),
    rule({
      policyName: 'web-out',
      ruleId: 'no-dns',
      direction: 'out',
      action: 'deny',
      priority: 2,
      protocol: 'udp',
    }),
    rule({
      policyName: 'ops-out',
      ruleId: 'ssh',
      direction: 'out',
      action: 'allow',
      priority: 50,
      protocol: 'tcp',
      port: 22,
    }),
    rule({ policyName: 'other-in', ruleId: 'deny-all', direction: 'in', action: 'deny' }),
    rule({
      policyName: 'other-in',
      ruleId: 'http',
      direction: 'in',
      action: 'allow',
      priority: 10,
      protocol: 'tcp',
      port: 80,
    }),
    rule({
      policyName: 'other-in',
      ruleId: 'dns',
      direction: 'in',
      action: 'allow',
      priority: 5,
      protocol: 'udp',
      port: 53,
    }),
  ],
};
const full = compilePolicyState(STATE);
const ip = (text: string) => parseIPv4(text)!;
const ADDRESSES = [...STATE.endpoints.map((e) => e.ipAddress), '192.168.1.1'];
const PROBES: [string, number][] = [
  ['tcp', 22],
  ['tcp', 80],
  ['tcp', 5432],
  ['udp', 53],
  ['icmp', 0],
];

describe('scopeToInstance', () => {
  it("keeps the instance's own group whole and, of the others, only allows that can overrule its denies", () => {
    const db = scopeToInstance(full, ip('10.1.0.5'));
    expect([...db.groups.keys()]).toEqual(['db', 'ops']);
    expect(db.groups.get('db')).toEqual(full.groups.get('db'));
    expect(db.groups.get('ops')!.out.map((r) => r.ruleId)).toEqual(['ssh']);
    // web's lowest out deny is at 2: every in allow that matches web and outranks it is kept (the
    // priority alone decides, not whether the two could meet on a port)
    const web = scopeToInstance(full, ip('10.0.0.5'));
    expect([...web.groups.keys()]).toEqual(['db', 'other-web', 'web']);
    expect(web.groups.get('db')!.in.map((r) => r.ruleId)).toEqual(['pg']);
    expect(web.groups.get('other-web')!.in.map((r) => r.ruleId)).toEqual(['http', 'dns']);
  });

  it('gives a VM with no denies of its own nothing of the other groups, and none of their addresses', () => {
    const ops = scopeToInstance(full, ip('10.1.0.9'));
    expect([...ops.groups.keys()]).toEqual(['ops']);
    const text = renderRuleset(ops, 't');
    for (const address of ['10.0.0.5', '10.1.0.5', '10.9.0.5']) expect(text).not.toContain(address);
    expect(text).toContain('10.1.0.9');
  });

  it('makes both ends of every connection, each with its own scoped rules, decide as the verdict does', () => {
    const scoped = new Map(ADDRESSES.map((a) => [a, scopeToInstance(full, ip(a))]));
    const mismatches: string[] = [];
    for (const from of ADDRESSES) {
      for (const to of ADDRESSES) {
        if (from === to) continue;
        for (const [protocol, port] of PROBES) {
          const verdict = decide(
            full,
            classifyAddress(full, ip(from)),
            classifyAddress(full, ip(to)),
            protocol,
            port,
          );
          // each end judges with what it loaded (the outside address loads nothing: allows all)
          const end = (at: string) => {
            if (at === '192.168.1.1') return 'allow';
            const c = scoped.get(at)!;
            return decide(c, classifyAddress(c, ip(from)), classifyAddress(c, ip(to)), protocol, port).action;
          };
          const packet = end(from) === 'allow' && end(to) === 'allow' ? 'allow' : 'deny';
          if (packet !== verdict.action)
            mismatches.push(`${from} -> ${to} ${protocol}/${port}: ${verdict.action} vs ${packet}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
