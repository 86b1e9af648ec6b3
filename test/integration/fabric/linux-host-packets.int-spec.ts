import type { DataSource } from 'typeorm';
import { stringify } from 'yaml';
import { switchyardTags, type CloudInstance, type LinuxHostAdapter } from '@switchyard/cloud-adapters';
import {
  Fabric,
  FabricService,
  compilePolicyState,
  renderRuleset,
  type Verdict,
} from '@switchyard/network-fabric';
import {
  hostAgentAvailability,
  kernelLeftovers,
  namespaceOf,
  packetAgentIn,
  startHostAgent,
  type HostAgent,
} from '../../support/host-agent.js';
import { gate } from '../../support/skips.js';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';
import type { PacketAgent, ProbeOutcome } from './netns-lab.js';

// Packets agree with verdicts on endpoints placed through the Linux-host provider: a tenant of four
// groups with allows and denies at several priorities, in and out rules and ties; each endpoint an
// instance the real host agent runs (a network namespace on the agent's bridge for the fabric
// network), booted with the tenant's ruleset in its user-data as the agent's contract loads it.
// Listeners on TCP and UDP ports in every instance; every (from, to, protocol, port) is probed from
// inside the sending instance's namespace and must reach exactly when the verdict says allow.
const { describe: withAgent } = gate(hostAgentAvailability());

const T = 'lhpkt';
const PORTS = ['22/tcp', '80/tcp', '5432/tcp', '8080/tcp', '53/udp', '5353/udp', '9000/udp'];
const SILENCE_MS = 1500;
const CONCURRENT = 32;
const THIRD = process.pid % 250;
const SUBNET = `10.243.${THIRD}.0/24`;
const GATEWAY = `10.243.${THIRD}.254`;

interface Host {
  what: string;
  ip: string;
  instance: CloudInstance;
  agent?: PacketAgent;
  stop?: () => void;
}

let db: FabricTestDatabase;
let ds: DataSource;
let fabric: FabricService;
let agent: HostAgent;
let adapter: LinuxHostAdapter;
let networkId = '';
const hosts: Host[] = [];

async function rule(policyName: string, ruleId: string, body: Record<string, unknown>): Promise<void> {
  await fabric.apply('rule', T, { policyName, ruleId, ...body });
}

async function buildTenant(): Promise<void> {
  await fabric.apply('tenant', T, { tenantName: T });
  await fabric.apply('network', T, { networkName: 'lan', encap: 'vxlan', subnet: SUBNET, gateway: GATEWAY });
  for (const p of ['web-in', 'web-out', 'app-in', 'db-in', 'ops-out', 'shared']) {
    await fabric.apply('policy', T, { policyName: p });
  }
  const pool = (from: number) => `10.243.${THIRD}.${from}-10.243.${THIRD}.${from + 9}`;
  await fabric.apply('endpointGroup', T, { groupName: 'web', networkName: 'lan', ipPool: pool(10) });
  await fabric.apply('endpointGroup', T, { groupName: 'app', networkName: 'lan', ipPool: pool(30) });
  await fabric.apply('endpointGroup', T, { groupName: 'db', networkName: 'lan', ipPool: pool(50) });
  await fabric.apply('endpointGroup', T, { groupName: 'ops', networkName: 'lan', ipPool: pool(70) });

  // web: a whitelist (deny all, http from anyone) but no http from db (higher priority)
  await rule('web-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('web-in', 'http', { direction: 'in', priority: 10, action: 'allow', protocol: 'tcp', port: 80 });
  await rule('web-in', 'no-http-from-db', {
    direction: 'in',
    priority: 20,
    action: 'deny',
    protocol: 'tcp',
    port: 80,
    fromEndpointGroup: 'db',
  });
  // web's own out rules: never PostgreSQL on db (outranks db's allow from the network); DNS out,
  // but not to ops (a tie at 5: deny wins)
  await rule('web-out', 'no-pg', {
    direction: 'out',
    priority: 4,
    action: 'deny',
    protocol: 'tcp',
    port: 5432,
    toEndpointGroup: 'db',
  });
  await rule('web-out', 'dns', { direction: 'out', priority: 5, action: 'allow', protocol: 'udp', port: 53 });
  await rule('web-out', 'no-dns-ops', {
    direction: 'out',
    priority: 5,
    action: 'deny',
    protocol: 'udp',
    port: 53,
    toEndpointGroup: 'ops',
  });
  // app: only 8080 from web, except the first web endpoint (a tie at 10: deny wins)
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
    fromIpAddress: `10.243.${THIRD}.10`,
  });
  // db: PostgreSQL from app, and (lower) from the whole network; UDP 9000 from ops only
  await rule('db-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('db-in', 'pg-app', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromEndpointGroup: 'app',
  });
  await rule('db-in', 'pg-lan', {
    direction: 'in',
    priority: 3,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromNetwork: 'lan',
  });
  await rule('db-in', 'stats-ops', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'udp',
    port: 9000,
    fromEndpointGroup: 'ops',
  });
  // ops: ssh anywhere (outranks every deny-all)
  await rule('ops-out', 'ssh', {
    direction: 'out',
    priority: 50,
    action: 'allow',
    protocol: 'tcp',
    port: 22,
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

/** The instance's user-data: the tenant's ruleset where the agent loads it at boot, nothing else. */
function userData(ruleset: string): string {
  const files = [{ path: '/etc/switchyard/nftables.nft', permissions: '0600', content: ruleset }];
  return `#cloud-config\n${stringify({ write_files: files })}`;
}

async function placeInstances(ruleset: string): Promise<void> {
  const endpoints = new Fabric(ds);
  const tenantId = await endpoints.tenantIdOf(T);
  const net = await adapter.ensureNetwork({
    name: `${agent.prefix}-lan`,
    cidr: SUBNET,
    gateway: GATEWAY,
    segment: await endpoints.networkSegment({ tenantId, network: 'lan' }),
  });
  networkId = net.id;
  const groups = ['web', 'web', 'web', 'app', 'app', 'db', 'db', 'ops', ''];
  const made = await Promise.all(
    groups.map(async (group, i) => {
      const ep = await endpoints.allocateEndpoint({ tenantId, network: 'lan', group, key: `lhp-${i}` });
      const instance = await adapter.createInstance({
        idempotencyKey: `${agent.prefix}-pkt-${i}`,
        name: `pkt-${i}`,
        instanceType: (await adapter.listInstanceTypes()).sort((a, b) => a.cpu - b.cpu)[0]!.id,
        image: 'host-root',
        network: net.id,
        privateIp: ep.ipv4,
        userData: userData(ruleset),
        tags: switchyardTags(`pkt-${agent.prefix}`, group || 'none', i),
      });
      return { what: group || 'lan network', ip: ep.ipv4, instance };
    }),
  );
  hosts.push(...made);
  await Promise.all(hosts.map((h) => adapter.waitForState(h.instance.id, 'running', { timeoutMs: 120_000 })));
}

withAgent('packets between Linux-host instances agree with the verdict API', () => {
  beforeAll(async () => {
    db = await createFabricDatabase();
    ds = await db.connect();
    fabric = new FabricService(ds);
    agent = await startHostAgent('p');
    adapter = agent.adapter();
    await buildTenant();
    const ruleset = renderRuleset(compilePolicyState(await fabric.loadPolicyState(T)), T);
    await placeInstances(ruleset);
    for (const h of hosts) {
      const started = await packetAgentIn(await namespaceOf(agent.prefix, h.ip), PORTS);
      h.agent = started.agent;
      h.stop = started.stop;
    }
  }, 300_000);

  afterAll(async () => {
    for (const h of hosts) h.stop?.();
    await Promise.allSettled(hosts.map((h) => adapter.terminateInstance(h.instance.id)));
    await Promise.allSettled(
      hosts.map((h) => adapter.waitForState(h.instance.id, 'terminated', { timeoutMs: 60_000 })),
    );
    if (networkId) await adapter.deleteNetwork(networkId).catch(() => undefined);
    const left = agent ? await kernelLeftovers(agent.prefix) : [];
    await agent?.stop();
    await db?.drop();
    // terminate and the network's delete leave nothing of the instances in the kernel
    expect(left).toEqual([]);
  }, 180_000);

  it('lets through exactly the probes the verdict allows, from inside each instance', async () => {
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
    expect(probes.length).toBeGreaterThanOrEqual(500);
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
    const disagreements = results
      .filter(
        (r) =>
          (r.packet.outcome === 'reached') !== (r.verdict.action === 'allow') || r.packet.outcome === 'error',
      )
      .map((r) => ({ probe: r.probe, verdict: r.verdict, packet: r.packet }));
    expect(disagreements).toEqual([]);

    // the probes exercised the policy, not only its default
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
    expect([...deciders]).toEqual(
      expect.arrayContaining([
        'default allow',
        'web-in:http',
        'web-in:no-http-from-db',
        'web-out:no-pg',
        'web-out:no-dns-ops',
        'app-in:from-web',
        'app-in:not-web-10',
        'db-in:pg-app',
        'db-in:pg-lan',
        'db-in:stats-ops',
        'ops-out:ssh',
        'shared:no-mdns',
      ]),
    );
  }, 300_000);

  it('takes a changed policy through the agent: a new allow reaches, as the verdict now says', async () => {
    const [web] = hosts.filter((h) => h.what === 'web');
    const [db1] = hosts.filter((h) => h.what === 'db');
    const before = await web!.agent!.probe('udp', db1!.ip, 9000, SILENCE_MS);
    expect(before.outcome).toBe('blocked');
    await rule('db-in', 'stats-web', {
      direction: 'in',
      priority: 10,
      action: 'allow',
      protocol: 'udp',
      port: 9000,
      fromEndpointGroup: 'web',
    });
    const ruleset = renderRuleset(compilePolicyState(await fabric.loadPolicyState(T)), T);
    await Promise.all(hosts.map((h) => adapter.loadRuleset(h.instance.id, ruleset)));
    const verdict = await fabric.verdict(T, { from: web!.ip, to: db1!.ip, protocol: 'udp', port: 9000 });
    expect(verdict.action).toBe('allow');
    expect((await web!.agent!.probe('udp', db1!.ip, 9000, SILENCE_MS)).outcome).toBe('reached');
  }, 120_000);
});
