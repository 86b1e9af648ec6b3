import type { DataSource } from 'typeorm';
import {
  Fabric,
  FabricService,
  compilePolicyState,
  renderRuleset,
  validateObject,
  type PolicyState,
  type RuleConfig,
  type Verdict,
} from '@switchyard/network-fabric';
import { gate } from '../../support/skips.js';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';
import { NetnsLab, netnsAvailability, type PacketAgent, type ProbeOutcome } from './netns-lab.js';

// Packets agree with verdicts: a tenant of four groups on two networks, whitelists with allows and
// denies at several priorities, in and out rules, a tie, network and address peers. Every endpoint
// the fabric placed is a network namespace on one bridge with the address the fabric gave it, and
// loads the tenant's compiled nftables ruleset as a VM would ("nftables in every VM"); a host
// outside the tenant loads none. Each namespace listens on every probed TCP and UDP port; every
// (from, to, protocol, port) is probed and must reach exactly when the fabric's verdict says allow.
const { describe: withNetns } = gate(netnsAvailability());

const T = 'pkt';
const PORTS = ['22/tcp', '80/tcp', '443/tcp', '5432/tcp', '8080/tcp', '53/udp', '5353/udp'];
const OUTSIDE = '192.168.77.5';
// a refused packet is dropped, so a probe the destination refuses is known by its silence; allowed
// probes on one bridge answer within milliseconds
const SILENCE_MS = 1500;
const CONCURRENT = 48;

interface Host {
  ns: string;
  ip: string;
  what: string;
  agent?: PacketAgent;
}

let db: FabricTestDatabase;
let ds: DataSource;
let fabric: FabricService;
const lab = new NetnsLab();
const hosts: Host[] = [];
let ruleset = '';

async function rule(policyName: string, ruleId: string, body: Record<string, unknown>): Promise<void> {
  await fabric.apply('rule', T, { policyName, ruleId, ...body });
}

async function buildTenant(): Promise<void> {
  await fabric.apply('tenant', T, { tenantName: T });
  await fabric.apply('network', T, { networkName: 'front', encap: 'vxlan', subnet: '10.61.0.0/24' });
  await fabric.apply('network', T, { networkName: 'back', encap: 'vxlan', subnet: '10.62.0.0/24' });
  for (const p of ['web-in', 'web-out', 'app-in', 'db-in', 'ops-out', 'shared']) {
    await fabric.apply('policy', T, { policyName: p });
  }
  await fabric.apply('endpointGroup', T, {
    groupName: 'web',
    networkName: 'front',
    ipPool: '10.61.0.10-10.61.0.29',
  });
  await fabric.apply('endpointGroup', T, { groupName: 'app', networkName: 'front' });
  await fabric.apply('endpointGroup', T, {
    groupName: 'db',
    networkName: 'back',
    ipPool: '10.62.0.10-10.62.0.29',
  });
  await fabric.apply('endpointGroup', T, { groupName: 'ops', networkName: 'back' });

  // web: a whitelist (deny all, http from anyone, https from outside), but no http from the back network
  await rule('web-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('web-in', 'http', { direction: 'in', priority: 10, action: 'allow', protocol: 'tcp', port: 80 });
  await rule('web-in', 'https-outside', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 443,
    fromIpAddress: '192.168.77.0/24',
  });
  await rule('web-in', 'no-http-from-back', {
    direction: 'in',
    priority: 20,
    action: 'deny',
    protocol: 'tcp',
    port: 80,
    fromNetwork: 'back',
  });
  // web's own out rules: never PostgreSQL on db (outranks db's allow from the front network),
  // DNS anywhere but to the back network (a tie at 5: deny wins)
  await rule('web-out', 'no-pg', {
    direction: 'out',
    priority: 4,
    action: 'deny',
    protocol: 'tcp',
    port: 5432,
    toEndpointGroup: 'db',
  });
  await rule('web-out', 'dns', { direction: 'out', priority: 5, action: 'allow', protocol: 'udp', port: 53 });
  await rule('web-out', 'no-dns-back', {
    direction: 'out',
    priority: 5,
    action: 'deny',
    protocol: 'udp',
    port: 53,
    toIpAddress: '10.62.0.0/24',
  });
  // app: only 8080 from web, except the web endpoint at .10 (a tie at 10: deny wins)
  await rule('app-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('app-in', 'from-web', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 8080,
    fromEndpointGroup: 'web',
  });
  await rule('app-in', 'not-web-10', {
    direction: 'in',
    priority: 10,
    action: 'deny',
    protocol: 'tcp',
    port: 8080,
    fromIpAddress: '10.61.0.10',
  });
  // db: PostgreSQL from app, and (lower) from the whole front network; ICMP from anyone
  await rule('db-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('db-in', 'pg-app', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromEndpointGroup: 'app',
  });
  await rule('db-in', 'pg-front', {
    direction: 'in',
    priority: 3,
    action: 'allow',
    protocol: '6',
    port: 5432,
    fromNetwork: 'front',
  });
  await rule('db-in', 'ping', { direction: 'in', priority: 10, action: 'allow', protocol: 'icmp' });
  // ops: ssh anywhere (outranks every deny-all), no UDP to the outside
  await rule('ops-out', 'ssh', {
    direction: 'out',
    priority: 50,
    action: 'allow',
    protocol: 'tcp',
    port: 22,
  });
  await rule('ops-out', 'no-udp-out', {
    direction: 'out',
    priority: 2,
    action: 'deny',
    protocol: 'udp',
    toIpAddress: '192.168.77.0/24',
  });
  // one policy on two groups: no mDNS into app or db, whatever else allows it
  await rule('shared', 'no-mdns', {
    direction: 'in',
    priority: 90,
    action: 'deny',
    protocol: 'udp',
    port: 5353,
  });

  const attach = {
    web: ['web-in', 'web-out'],
    app: ['app-in', 'shared'],
    db: ['db-in', 'shared'],
    ops: ['ops-out'],
  };
  for (const [group, policies] of Object.entries(attach)) {
    await fabric.apply('endpointGroup', T, { ...(await fabric.get('endpointGroup', T, group)), policies });
  }
}

async function placeEndpoints(): Promise<void> {
  const endpoints = new Fabric(ds);
  const tenantId = await endpoints.tenantIdOf(T);
  const placements = [
    ...['web', 'web', 'web', 'app', 'app'].map((group) => ({ network: 'front', group })),
    ...['db', 'db', 'ops'].map((group) => ({ network: 'back', group })),
    { network: 'front', group: '' },
    { network: 'back', group: '' },
  ];
  for (const [i, p] of placements.entries()) {
    const ep = await endpoints.allocateEndpoint({ tenantId, ...p, key: `pkt-${i}` });
    hosts.push({ ns: await lab.host(ep.ipv4, 24), ip: ep.ipv4, what: p.group || `${p.network} network` });
  }
  hosts.push({ ns: await lab.host(OUTSIDE, 24), ip: OUTSIDE, what: 'outside the tenant' });
}

// Rules at every edge the API accepts: every protocol number, the first and last port, every prefix
// length, priorities 0 and 100, the longest names with capitals, dots and hyphens.
function edgeState(): PolicyState {
  const long = (c: string) => `${`${c}${'A.b-'.repeat(16)}`.slice(0, 62)}z9`;
  const [g1, g2, p, net] = [long('g'), long('h'), long('p'), long('n')];
  const bodies: Record<string, unknown>[] = [];
  for (let n = 0; n <= 255; n++) {
    bodies.push({ direction: n % 2 ? 'in' : 'out', protocol: String(n), action: n % 3 ? 'allow' : 'deny' });
  }
  for (const protocol of ['tcp', 'udp', '6', '17']) {
    for (const port of [1, 65535])
      bodies.push({ direction: 'in', protocol, port, action: 'allow', priority: 100 });
  }
  for (let len = 0; len <= 32; len++) {
    bodies.push({ direction: 'out', toIpAddress: `10.1.2.3/${len}`, action: 'deny', priority: 0 });
    bodies.push({
      direction: 'in',
      fromIpAddress: `192.168.0.255/${len}`,
      protocol: 'icmp',
      action: 'allow',
    });
  }
  bodies.push({ direction: 'in', fromEndpointGroup: g2, action: 'deny', priority: 100 });
  bodies.push({ direction: 'out', toNetwork: net, action: 'allow', priority: 50 });
  bodies.push({ direction: 'in', fromIpAddress: '255.255.255.255', action: 'allow' });
  const rules = bodies.map((body, i) => {
    const checked = validateObject('rule', { tenantName: T, policyName: p, ruleId: long(`r${i}x`), ...body });
    if (!checked.ok)
      throw new Error(`the API refuses ${JSON.stringify(body)}: ${JSON.stringify(checked.issues)}`);
    return checked.value as RuleConfig;
  });
  return {
    networks: [{ networkName: net, subnet: '10.70.0.10-10.70.0.200/24' }],
    groups: [
      { groupName: g1, networkName: net, ipPool: '10.70.0.10-10.70.0.20', policies: [p] },
      { groupName: g2, networkName: net, ipPool: '', policies: [p] },
    ],
    endpoints: [{ ipAddress: '10.70.0.30', groupName: g2, networkName: net }],
    rules,
  };
}

async function probeAll(): Promise<{ probe: string; verdict: Verdict; packet: ProbeOutcome }[]> {
  const probes = hosts.flatMap((from) =>
    hosts.flatMap((to) =>
      from === to
        ? []
        : PORTS.map((p) => ({
            from,
            to,
            proto: p.split('/')[1] as 'tcp' | 'udp',
            port: Number(p.split('/')[0]),
          })),
    ),
  );
  const results: { probe: string; verdict: Verdict; packet: ProbeOutcome }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < probes.length) {
        const { from, to, proto, port } = probes[next++]!;
        const verdict = await fabric.verdict(T, { from: from.ip, to: to.ip, protocol: proto, port });
        const packet = await from.agent!.probe(proto, to.ip, port, SILENCE_MS);
        results.push({
          probe: `${from.what} ${from.ip} -> ${to.what} ${to.ip} ${port}/${proto}`,
          verdict,
          packet,
        });
      }
    }),
  );
  return results;
}

withNetns('the compiled nftables ruleset, with real packets', () => {
  beforeAll(async () => {
    db = await createFabricDatabase();
    ds = await db.connect();
    fabric = new FabricService(ds);
    await buildTenant();
    await lab.start();
    await placeEndpoints();
    ruleset = renderRuleset(compilePolicyState(await fabric.loadPolicyState(T)), T);
    for (const h of hosts) {
      if (h.ip !== OUTSIDE) await lab.loadRuleset(h.ns, ruleset);
    }
    await Promise.all(hosts.map(async (h) => (h.agent = await lab.agent(h.ns, PORTS))));
  }, 120_000);

  afterAll(async () => {
    const problems = await lab.cleanup();
    await db?.drop();
    expect({ problems, leftovers: lab.leftovers() }).toEqual({ problems: [], leftovers: [] });
  });

  it('loads every rule the API accepts (no install-time failure), under the longest tenant name', async () => {
    const ns = await lab.host('10.70.0.99', 24);
    const edge = renderRuleset(compilePolicyState(edgeState()), `T${'e.x-'.repeat(15)}end`);
    await expect(lab.loadRuleset(ns, edge)).resolves.toBeUndefined();
    // loading it again replaces the table, as a changed policy would
    await expect(lab.loadRuleset(ns, edge)).resolves.toBeUndefined();
  });

  it('lets through exactly the probes the verdict allows (every pair of hosts, every port)', async () => {
    const results = await probeAll();
    expect(results.length).toBeGreaterThanOrEqual(500);
    const disagreements = results
      .filter(
        (r) =>
          (r.packet.outcome === 'reached') !== (r.verdict.action === 'allow') || r.packet.outcome === 'error',
      )
      .map((r) => ({ probe: r.probe, verdict: r.verdict, packet: r.packet }));
    expect(disagreements).toEqual([]);

    // the probes exercised the policy, not only its default: both outcomes, many deciding rules,
    // in and out rules, refusals at the sender and at the receiver
    const allowed = results.filter((r) => r.verdict.action === 'allow').length;
    expect(allowed).toBeGreaterThan(100);
    expect(results.length - allowed).toBeGreaterThan(100);
    const deciders = new Set(
      results.map((r) =>
        r.verdict.decidedBy === 'default allow'
          ? 'default allow'
          : `${r.verdict.decidedBy.policy}:${r.verdict.decidedBy.ruleId}`,
      ),
    );
    expect([...deciders].sort()).toEqual(
      expect.arrayContaining([
        'default allow',
        'web-in:http',
        'web-in:https-outside',
        'web-in:no-http-from-back',
        'web-out:no-pg',
        'web-out:no-dns-back',
        'app-in:from-web',
        'app-in:not-web-10',
        'db-in:pg-app',
        'db-in:pg-front',
        'ops-out:ssh',
        'ops-out:no-udp-out',
        'shared:no-mdns',
      ]),
    );
    const silences = results.filter((r) => r.packet.detail === 'timeout').length;
    expect({
      refusedBySender: results.some((r) => r.packet.detail === 'EPERM'),
      refusedByReceiver: silences > 0,
    }).toEqual({
      refusedBySender: true,
      refusedByReceiver: true,
    });
  }, 120_000);

  it('agrees just as well when each endpoint loads only its own scoped ruleset (what a VM gets)', async () => {
    for (const h of hosts) {
      if (h.ip === OUTSIDE) continue;
      const scoped = await fabric.ruleset(T, h.ip);
      expect(scoped.length).toBeLessThan(ruleset.length);
      await lab.loadRuleset(h.ns, scoped);
    }
    const results = await probeAll();
    const disagreements = results
      .filter(
        (r) =>
          (r.packet.outcome === 'reached') !== (r.verdict.action === 'allow') || r.packet.outcome === 'error',
      )
      .map((r) => ({ probe: r.probe, verdict: r.verdict, packet: r.packet }));
    expect(disagreements).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(500);
  }, 120_000);
});
