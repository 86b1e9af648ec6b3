import fc from 'fast-check';
import { parseIPv4 } from '../addressing/ip.util.js';
import { parsePool, parseSubnet } from '../addressing/subnet.util.js';
import type { RuleConfig } from '../model/objects.model.js';
import { compilePolicyState } from './compiled-policy.util.js';
import type { Party, PolicyState, VerdictQuery } from './policy.types.js';
import { verdict } from './verdict.util.js';

// The reference semantics, written as the spec says them (docs: network-fabric.md, policy semantics)
// and as the verdict answered before it read the compiled form: every rule of the policies attached
// to the destination's group (in) and the source's group (out) whose peer, protocol and port match;
// the highest priority wins, deny wins a tie, then policy:ruleId; no match allows.
function reference(state: PolicyState, query: VerdictQuery): { action: string; decidedBy: unknown } {
  const from = party(state, query.from);
  const to = party(state, query.to);
  const attached = (g?: string) => new Set(state.groups.find((x) => x.groupName === g)?.policies ?? []);
  const number = (p: string) =>
    ({ icmp: 1, tcp: 6, udp: 17 })[p.toLowerCase()] ?? (/^\d+$/.test(p) ? Number(p) : NaN);
  const prio = (r: RuleConfig) => (r.priority === 0 ? 1 : r.priority);
  const peerOk = (g: string, n: string, a: string, p: Party) => {
    if (g) return p.group === g;
    if (n) return p.network === n;
    if (!a) return true;
    const [base, len = '32'] = a.split('/');
    const bits = BigInt(32 - Number(len));
    return p.ip !== undefined && parseIPv4(base ?? '')! >> bits === p.ip >> bits;
  };
  const matching = state.rules.filter(
    (r) =>
      (r.protocol === '' || number(r.protocol) === number(query.protocol ?? '')) &&
      (r.port === 0 || r.port === (query.port ?? 0)) &&
      ((r.direction === 'in' &&
        attached(to.group).has(r.policyName) &&
        peerOk(r.fromEndpointGroup, r.fromNetwork, r.fromIpAddress, from)) ||
        (r.direction === 'out' &&
          attached(from.group).has(r.policyName) &&
          peerOk(r.toEndpointGroup, r.toNetwork, r.toIpAddress, to))),
  );
  const best = matching.sort(
    (a, b) =>
      prio(b) - prio(a) ||
      (a.action === b.action ? 0 : a.action === 'deny' ? -1 : 1) ||
      (`${a.policyName}:${a.ruleId}` < `${b.policyName}:${b.ruleId}` ? -1 : 1),
  )[0];
  if (!best) return { action: 'allow', decidedBy: 'default allow' };
  return {
    action: best.action,
    decidedBy: {
      policy: best.policyName,
      ruleId: best.ruleId,
      priority: prio(best),
      direction: best.direction,
    },
  };
}

function party(state: PolicyState, text: string): Party {
  const group = state.groups.find((g) => g.groupName === text);
  if (group) return { group: group.groupName, network: group.networkName };
  if (state.networks.some((n) => n.networkName === text)) return { network: text };
  const ip = parseIPv4(text)!;
  const endpoint = state.endpoints.find((e) => e.ipAddress === text);
  if (endpoint)
    return {
      ip,
      network: endpoint.networkName,
      ...(endpoint.groupName ? { group: endpoint.groupName } : {}),
    };
  const inPool = state.groups.find((g) => {
    const pool = g.ipPool ? parsePool(g.ipPool) : undefined;
    return pool?.ok && ip >= pool.value.start && ip <= pool.value.end;
  });
  if (inPool) return { ip, group: inPool.groupName, network: inPool.networkName };
  const net = state.networks.find((n) => {
    const s = parseSubnet(n.subnet);
    return s.ok && ip >= s.value.network && ip <= s.value.broadcast;
  });
  return net ? { ip, network: net.networkName } : { ip };
}

// Random tenants: two networks, four groups (some with pools), endpoints with and without groups,
// rules of every peer kind, protocol and port at priorities that collide often.
const GROUPS = ['web', 'app', 'db', 'ops'] as const;
const NETWORKS = [
  { networkName: 'front', subnet: '10.0.0.0/24' },
  { networkName: 'back', subnet: '10.1.0.0/24' },
];
const POLICIES = ['p1', 'p2', 'p3', 'p4'];
const octet = fc.integer({ min: 1, max: 254 });
const inNetwork = fc.tuple(fc.constantFrom(0, 1), octet).map(([n, o]) => `10.${n}.0.${o}`);
const address = fc.oneof(inNetwork, fc.constantFrom('192.168.5.9', '8.8.8.8', '10.0.1.1'));

const ruleArb = (i: number) =>
  fc
    .record({
      policyName: fc.constantFrom(...POLICIES),
      direction: fc.constantFrom('in' as const, 'out' as const),
      action: fc.constantFrom('allow' as const, 'deny' as const),
      priority: fc.integer({ min: 0, max: 4 }),
      peer: fc.oneof(
        fc.constant({}),
        fc.constantFrom(...GROUPS).map((g) => ({ group: g })),
        fc.constantFrom('front', 'back').map((n) => ({ network: n })),
        fc
          .tuple(address, fc.constantFrom('', '/32', '/30', '/24', '/16', '/0'))
          .map(([a, len]) => ({ address: a + len })),
      ),
      proto: fc.constantFrom(
        { protocol: '', port: 0 },
        { protocol: 'icmp', port: 0 },
        { protocol: 'tcp', port: 0 },
        { protocol: 'tcp', port: 80 },
        { protocol: '6', port: 443 },
        { protocol: 'udp', port: 53 },
        { protocol: '47', port: 0 },
      ),
    })
    .map(({ peer, proto, ...r }): RuleConfig => {
      const side = r.direction === 'in' ? 'from' : 'to';
      const p = peer as { group?: string; network?: string; address?: string };
      return {
        tenantName: 't',
        ruleId: String(i),
        fromEndpointGroup: '',
        fromNetwork: '',
        fromIpAddress: '',
        toEndpointGroup: '',
        toNetwork: '',
        toIpAddress: '',
        ...(p.group ? { [`${side}EndpointGroup`]: p.group } : {}),
        ...(p.network ? { [`${side}Network`]: p.network } : {}),
        ...(p.address ? { [`${side}IpAddress`]: p.address } : {}),
        ...proto,
        ...r,
      };
    });

const stateArb: fc.Arbitrary<PolicyState> = fc
  .record({
    groups: fc.tuple(
      ...GROUPS.map((name, i) =>
        fc.record({
          groupName: fc.constant(name),
          networkName: fc.constant(i % 2 === 0 ? 'front' : 'back'),
          ipPool: fc.constantFrom('', `10.${i % 2}.0.${10 + 20 * i}-10.${i % 2}.0.${29 + 20 * i}`),
          policies: fc.subarray(POLICIES, { maxLength: 2 }),
        }),
      ),
    ),
    endpoints: fc.uniqueArray(
      fc.record({
        ip: inNetwork,
        groupName: fc.constantFrom('', ...GROUPS),
      }),
      { maxLength: 8, selector: (e) => e.ip },
    ),
    rules: fc
      .integer({ min: 0, max: 14 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i)))),
  })
  .map(({ groups, endpoints, rules }) => ({
    networks: NETWORKS,
    groups,
    rules,
    endpoints: endpoints.map((e) => ({
      ipAddress: e.ip,
      groupName: e.groupName,
      networkName: e.ip.startsWith('10.0.') ? 'front' : 'back',
    })),
  }));

const queryArb = (state: PolicyState) => {
  const partyArb = fc.oneof(
    fc.constantFrom(...GROUPS, 'front', 'back'),
    fc.constantFrom(...state.endpoints.map((e) => e.ipAddress), '10.0.0.15', '10.1.0.35'),
    address,
  );
  return fc.record({
    from: partyArb,
    to: partyArb,
    protocol: fc.constantFrom('', 'tcp', 'udp', 'icmp', '6', '47'),
    port: fc.constantFrom(0, 22, 53, 80, 443),
  });
};

describe('the verdict read from the compiled form', () => {
  it('answers as the reference semantics on random tenants and queries', () => {
    fc.assert(
      fc.property(
        stateArb.chain((state) =>
          fc.tuple(fc.constant(state), fc.array(queryArb(state), { minLength: 1, maxLength: 20 })),
        ),
        ([state, queries]) => {
          for (const q of queries) expect({ q, v: verdict(state, q) }).toEqual({ q, v: reference(state, q) });
        },
      ),
      { numRuns: 400, seed: 20261205 },
    );
  });

  it("orders each group's rules: higher priority first, deny before allow at a tie", () => {
    const rule = (ruleId: string, priority: number, action: 'allow' | 'deny'): RuleConfig => ({
      tenantName: 't',
      policyName: 'p',
      ruleId,
      direction: 'in',
      priority,
      action,
      fromEndpointGroup: '',
      fromNetwork: '',
      fromIpAddress: '',
      toEndpointGroup: '',
      toNetwork: '',
      toIpAddress: '',
      protocol: '',
      port: 0,
    });
    const compiled = compilePolicyState({
      networks: NETWORKS,
      groups: [{ groupName: 'web', networkName: 'front', ipPool: '', policies: ['p'] }],
      endpoints: [],
      rules: [rule('a', 1, 'deny'), rule('b', 10, 'allow'), rule('c', 10, 'deny'), rule('d', 0, 'allow')],
    });
    expect(compiled.groups.get('web')?.in.map((r) => `${r.ruleId}:${r.priority}:${r.action}`)).toEqual([
      'c:10:deny',
      'b:10:allow',
      'a:1:deny',
      'd:1:allow',
    ]);
  });

  it('cuts the address space: endpoints over pools over subnets', () => {
    const compiled = compilePolicyState({
      networks: NETWORKS,
      groups: [{ groupName: 'web', networkName: 'front', ipPool: '10.0.0.10-10.0.0.19', policies: [] }],
      endpoints: [
        { ipAddress: '10.0.0.12', groupName: '', networkName: 'front' },
        { ipAddress: '10.0.0.50', groupName: 'web', networkName: 'front' },
      ],
      rules: [],
    });
    const show = compiled.blocks.map((b) => `${b.start}-${b.end}:${b.group ?? ''}/${b.network ?? ''}`);
    const ip = (t: string) => parseIPv4(t)!;
    expect(show).toEqual([
      `${ip('10.0.0.0')}-${ip('10.0.0.9')}:/front`,
      `${ip('10.0.0.10')}-${ip('10.0.0.11')}:web/front`,
      `${ip('10.0.0.12')}-${ip('10.0.0.12')}:/front`,
      `${ip('10.0.0.13')}-${ip('10.0.0.19')}:web/front`,
      `${ip('10.0.0.20')}-${ip('10.0.0.49')}:/front`,
      `${ip('10.0.0.50')}-${ip('10.0.0.50')}:web/front`,
      `${ip('10.0.0.51')}-${ip('10.0.0.255')}:/front`,
      `${ip('10.1.0.0')}-${ip('10.1.0.255')}:/back`,
    ]);
  });
});
