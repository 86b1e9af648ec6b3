import type { DataSource } from 'typeorm';
import { Fabric, FabricService, verdict, type VerdictQuery } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

// The store answers a verdict from an indexed subset of the tenant's policy state; it must agree
// with the pure verdict over the whole state on every query, names, pools and endpoints alike.
let db: FabricTestDatabase;
let ds: DataSource;
let fabric: FabricService;
const T = 'vq';

// a small deterministic generator (mulberry32), so a failure can be replayed
let seed = 20261127;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

const NETWORKS = ['na', 'nb', 'nc'];
const GROUPS = Array.from({ length: 16 }, (_, i) => `g${i}`);
const POLICIES = Array.from({ length: 10 }, (_, i) => `p${i}`);
const endpointIps: string[] = [];

beforeAll(async () => {
  db = await createFabricDatabase();
  ds = await db.connect();
  fabric = new FabricService(ds);
  await fabric.apply('tenant', T, { tenantName: T });
  for (const [i, n] of NETWORKS.entries()) {
    await fabric.apply('network', T, {
      networkName: n,
      encap: 'vxlan',
      subnet: `7${i}.0.0.0/24`,
      gateway: `7${i}.0.0.254`,
    });
  }
  for (const [i, g] of GROUPS.entries()) {
    const net = i % NETWORKS.length;
    await fabric.apply('endpointGroup', T, {
      groupName: g,
      networkName: NETWORKS[net],
      // some groups carve a pool out of their network, so addresses resolve to them
      ...(i % 4 === 0 ? { ipPool: `7${net}.0.0.${100 + i * 4}-7${net}.0.0.${115 + i * 4}` } : {}),
    });
  }
  for (const p of POLICIES) {
    await fabric.apply('policy', T, { policyName: p });
    for (let r = 1; r <= 4 + rand(6); r++) {
      const peer = rand(4);
      const direction = pick(['in', 'out'] as const);
      // an in rule names where traffic comes from, an out rule where it goes
      const side = direction === 'in' ? 'from' : 'to';
      await fabric.apply('rule', T, {
        policyName: p,
        ruleId: String(r),
        direction,
        action: pick(['allow', 'deny'] as const),
        priority: rand(10),
        ...pick([
          { protocol: '' },
          { protocol: 'icmp' },
          { protocol: 'tcp', port: pick([0, 22, 80, 443]) },
          { protocol: 'udp', port: pick([0, 53]) },
        ]),
        ...(peer === 0 ? { [`${side}EndpointGroup`]: pick(GROUPS) } : {}),
        ...(peer === 1 ? { [`${side}Network`]: pick(NETWORKS) } : {}),
        ...(peer === 2 ? { [`${side}IpAddress`]: `7${rand(3)}.0.0.${rand(2) * 64}/26` } : {}),
      });
    }
  }
  // rules name groups, and groups name policies: groups first, then the rules, then attach
  for (const [i, g] of GROUPS.entries()) {
    const group = await fabric.get('endpointGroup', T, g);
    await fabric.apply('endpointGroup', T, {
      ...group,
      policies: [...new Set([pick(POLICIES), pick(POLICIES)])].slice(0, 1 + (i % 2)),
    });
  }
  const endpoints = new Fabric(ds);
  const tenantId = await endpoints.tenantIdOf(T);
  for (let e = 0; e < 12; e++) {
    const g = pick(GROUPS);
    const net = NETWORKS[GROUPS.indexOf(g) % NETWORKS.length]!;
    const ep = await endpoints.allocateEndpoint({
      tenantId,
      network: net,
      ...(e % 3 === 0 ? {} : { group: g }),
      key: `ep-${e}`,
    });
    endpointIps.push(ep.ipv4);
  }
}, 120_000);
afterAll(async () => db.drop());

it('answers 600 random queries exactly as the verdict over the whole tenant state', async () => {
  const whole = await fabric.loadPolicyState(T);
  const parties = [
    ...GROUPS,
    ...NETWORKS,
    ...endpointIps,
    '70.0.0.101',
    '71.0.0.7',
    '72.0.0.200',
    '10.9.9.9',
    'no-such-group',
  ];
  let decidedByRule = 0;
  for (let i = 0; i < 600; i++) {
    const q: VerdictQuery = {
      from: pick(parties),
      to: pick(parties),
      protocol: pick(['', 'tcp', 'udp', 'icmp', '6']),
      port: pick([0, 22, 80, 443, 8080]),
    };
    const expected = await Promise.resolve()
      .then(() => verdict(whole, q))
      .catch((e: Error) => ({ error: e.message }));
    const actual = await fabric.verdict(T, q).catch((e: Error) => ({ error: e.message }));
    expect({ q, verdict: actual }).toEqual({ q, verdict: expected });
    if ('decidedBy' in actual && actual.decidedBy !== 'default allow') decidedByRule++;
  }
  // the queries exercised rules, not only the default
  expect(decidedByRule).toBeGreaterThan(100);
});
