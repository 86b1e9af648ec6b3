import { stringify } from 'yaml';
import type { Verdict } from '@switchyard/network-fabric';
import { CniLab, type Attachment } from '../support/cni-lab.js';
import { Contiv, tokenFor, uniqueTenant } from '../support/fabric.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { gate } from '../support/skips.js';
import { testEnv } from '../support/test-env.js';
import {
  AgentProcess,
  TOKEN as AGENT_TOKEN,
  agentAvailability,
  kernelObjects,
} from '../support/agent-host.js';
import {
  NetnsLab,
  netnsAvailability,
  type PacketAgent,
  type ProbeOutcome,
} from '../integration/fabric/netns-lab.js';

// Packets agree with verdicts in one tenant whose endpoints are of both kinds: instances the real
// Linux-host agent runs (placed as its provider places them: an address from the fabric, the
// tenant's ruleset in the user-data the agent loads at boot) and containers attached by
// switchyard-cni, all on the agent's bridge for the tenant's network (the plugin asks the agent
// for it). Four groups, allows and denies at several priorities, in and out rules, ties, group,
// network and address peers. Every endpoint listens on every probed TCP and UDP port; every
// (from, to, protocol, port) between them, both kinds in both directions, must reach exactly
// when the verdict API says allow.
const { describe: withNetns } = gate(netnsAvailability());
const { describe: withAgent } = gate(agentAvailability());

const T = uniqueTenant('mxp');
const PORTS = ['22/tcp', '80/tcp', '5432/tcp', '8080/tcp', '53/udp', '5353/udp', '9000/udp'];
const SUBNET = '10.97.0.0/24';
const GATEWAY = '10.97.0.254';
// a refused packet is dropped, so a refusal is known by its silence (allowed probes answer in ms)
const SILENCE_MS = 1500;
const CONCURRENT = 48;
const AGENT_NETWORK = 'lan';

type Kind = 'instance' | 'container';
interface Host {
  ns: string;
  ip: string;
  what: string;
  kind: Kind;
  agent?: PacketAgent;
}

let api: Proc & { url: string };
let admin: Client;
let c: Contiv;
let token = '';
let hostAgent: AgentProcess | undefined;
const lab = new CniLab();
const packetAgents = new NetnsLab();
const hosts: Host[] = [];
const attached: Attachment[] = [];
const instanceIds: string[] = [];
const agentEndpoints: string[] = [];

async function ok(p: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await p;
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
}

async function rule(policyName: string, ruleId: string, body: Record<string, unknown>): Promise<void> {
  await ok(c.create('rules', `${T}:${policyName}:${ruleId}`, { tenantName: T, policyName, ruleId, ...body }));
}

async function buildTenant(): Promise<void> {
  await ok(c.create('tenants', T, { tenantName: T }));
  await ok(
    c.create('networks', `${T}:lan`, {
      tenantName: T,
      networkName: 'lan',
      encap: 'vlan',
      subnet: SUBNET,
      gateway: GATEWAY,
    }),
  );
  for (const p of ['web-in', 'web-out', 'app-in', 'db-in', 'ops-out', 'quiet']) {
    await ok(c.create('policys', `${T}:${p}`, { tenantName: T, policyName: p }));
  }
  const pool = (from: number) => `10.97.0.${from}-10.97.0.${from + 19}`;
  const groups = [
    { groupName: 'web', networkName: 'lan', ipPool: pool(10), policies: ['web-in', 'web-out'] },
    { groupName: 'app', networkName: 'lan', ipPool: pool(30), policies: ['app-in', 'quiet'] },
    { groupName: 'db', networkName: 'lan', ipPool: pool(50), policies: ['db-in', 'quiet'] },
    { groupName: 'ops', networkName: 'lan', ipPool: pool(70), policies: ['ops-out'] },
  ];
  // groups before the rules that name them
  for (const { policies: _policies, ...g } of groups) {
    await ok(c.create('endpointGroups', `${T}:${g.groupName}`, { tenantName: T, ...g }));
  }
  // web: whitelisted (http from all but db); no PostgreSQL to db; DNS out except to ops (a tie at 5:
  // deny wins)
  await rule('web-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('web-in', 'http', { direction: 'in', priority: 10, action: 'allow', protocol: 'tcp', port: 80 });
  await rule('web-in', 'no-http-from-db', {
    direction: 'in',
    priority: 30,
    action: 'deny',
    protocol: 'tcp',
    port: 80,
    fromEndpointGroup: 'db',
  });
  await rule('web-out', 'no-pg-to-db', {
    direction: 'out',
    priority: 6,
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
  // app: 8080 from web only
  await rule('app-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('app-in', 'from-web', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 8080,
    fromEndpointGroup: 'web',
  });
  // db: PostgreSQL from app, and (lower) from the whole network, which web's own out rule stops
  await rule('db-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('db-in', 'pg-app', {
    direction: 'in',
    priority: 20,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromEndpointGroup: 'app',
  });
  await rule('db-in', 'pg-lan', {
    direction: 'in',
    priority: 4,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromNetwork: 'lan',
  });
  // ops: ssh anywhere (outranks every deny-all), no UDP into db's pool
  await rule('ops-out', 'ssh', {
    direction: 'out',
    priority: 60,
    action: 'allow',
    protocol: 'tcp',
    port: 22,
  });
  await rule('ops-out', 'no-udp-db-pool', {
    direction: 'out',
    priority: 2,
    action: 'deny',
    protocol: 'udp',
    toIpAddress: '10.97.0.48/28',
  });
  // one policy on two groups: no mDNS into app or db, whatever else allows it
  await rule('quiet', 'no-mdns', {
    direction: 'in',
    priority: 90,
    action: 'deny',
    protocol: 'udp',
    port: 5353,
  });
  // the policies, now that their rules exist
  for (const g of groups)
    await ok(c.create('endpointGroups', `${T}:${g.groupName}`, { tenantName: T, ...g }));
}

const config = (group?: string) => ({
  cniVersion: '1.1.0',
  name: 'sy-lan',
  type: 'switchyard-cni',
  url: lab.apiUrl,
  token,
  tenant: T,
  network: 'lan',
  ...(group ? { group } : {}),
  stateDir: lab.stateDir,
  namePrefix: 'syt',
  // the host agent's bridge for the network: containers share the L2 of its instances
  agent: { url: hostAgent!.url, token: AGENT_TOKEN, network: AGENT_NETWORK },
});

/** The fabric endpoints of the instances, made as the Linux-host provider makes them: address first. */
async function allocateInstanceEndpoints(groups: string[]): Promise<{ group: string; ip: string }[]> {
  const made = [];
  for (const [i, group] of groups.entries()) {
    const endpointId = `lh-${process.pid}-${i}`;
    const res = await c.plugin('createEndpoint', {
      TenantName: T,
      NetworkName: 'lan',
      ServiceName: group,
      EndpointID: endpointId,
      ContainerID: endpointId,
      HomingHost: 'runtime',
      IntfName: 'eth0',
    });
    if (res.status !== 200) throw new Error(`createEndpoint: ${res.status} ${res.text}`);
    agentEndpoints.push(endpointId);
    made.push({ group, ip: (res.body.EndpointConfig.ipAddress[0] as string).split('/')[0]! });
  }
  return made;
}

async function attachContainers(groups: string[]): Promise<void> {
  for (const [i, group] of groups.entries()) {
    const viaArgs = i % 2 === 0 && group !== '';
    const at: Attachment = {
      containerId: `mix${process.pid}n${i}`,
      netns: await lab.container(),
      ifname: 'eth0',
      ...(viaArgs ? { args: `IgnoreUnknown=1;SWITCHYARD_GROUP=${group}` } : {}),
    };
    const add = await lab.exec('switchyard-cni', 'ADD', config(viaArgs ? undefined : group), at);
    if (add.exitCode !== 0) throw new Error(`ADD ${at.containerId}: ${add.stdout} ${add.stderr}`);
    attached.push(at);
    hosts.push({
      ns: at.netns.split('/').pop()!,
      ip: (add.json.ips[0].address as string).split('/')[0]!,
      what: `${group || 'lan'} container`,
      kind: 'container',
    });
  }
}

/** The tenant's ruleset as the fabric renders it now (every endpoint of both kinds in it). */
async function currentRuleset(): Promise<string> {
  const res = await fetch(`${api.url}/api/v1/fabric/rulesets/${encodeURIComponent(T)}`, {
    headers: { authorization: `Bearer ${testEnv().SWITCHYARD_ADMIN_TOKEN}`, accept: 'text/plain' },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`ruleset: ${res.status} ${text}`);
  return text;
}

async function bootInstances(endpoints: { group: string; ip: string }[], ruleset: string): Promise<void> {
  const files = [{ path: '/etc/switchyard/nftables.nft', permissions: '0600', content: ruleset }];
  const userData = `#cloud-config\n${stringify({ write_files: files })}`;
  for (const [i, { group, ip }] of endpoints.entries()) {
    const created = await hostAgent!.api('POST', '/v1/instances', {
      idempotencyKey: `mix-${i}`,
      name: `mix-${i}`,
      instanceType: 'lh.quarter',
      image: 'host-root',
      network: AGENT_NETWORK,
      privateIp: ip,
      userData,
      tags: {},
    });
    if (created.status !== 201) throw new Error(`instance ${i}: ${created.status} ${created.text}`);
    instanceIds.push(created.json.id as string);
    hosts.push({
      ns: `${hostAgent!.prefix}i${(created.json.id as string).replace('lh-', '')}`,
      ip,
      what: `${group || 'lan'} instance`,
      kind: 'instance',
    });
  }
  await Promise.all(instanceIds.map((id) => hostAgent!.waitFor(id, 'running', 60_000)));
}

withNetns('packets agree with verdicts for Linux-host instances and CNI containers in one tenant', () => {
  withAgent('(the host agent runs in the runtime namespace)', () => {
    beforeAll(async () => {
      api = await startApi(await stackEnv());
      admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
      c = new Contiv(admin);
      await buildTenant();
      token = await tokenFor(admin, T, 'operator', `mxp-op-${process.pid}`);
      await lab.start(Number(new URL(api.url).port));
      // the agent on the same "host" as the runtime, with a prefix of its own
      hostAgent = new AgentProcess(`m${process.pid % 100000}a`, {
        netns: lab.runtimeNs,
        listenHost: lab.runtimeAddress,
      });
      await hostAgent.start();
      const tag = (await c.inspect('networks', `${T}:lan`)).body.Oper.pktTag as number;
      const net = await hostAgent.api('PUT', `/v1/networks/${AGENT_NETWORK}`, {
        cidr: SUBNET,
        gateway: GATEWAY,
        encap: 'vlan',
        tag,
      });
      if (net.status !== 200) throw new Error(`agent network: ${net.status} ${net.text}`);
      // every endpoint exists before the instances boot with the ruleset that names them all
      const instanceEndpoints = await allocateInstanceEndpoints(['web', 'app', 'db', 'ops', '']);
      await attachContainers(['web', 'web', 'app', 'db', 'ops', '']);
      await bootInstances(instanceEndpoints, await currentRuleset());
      await Promise.all(hosts.map(async (h) => (h.agent = await packetAgents.agent(h.ns, PORTS))));
    }, 240_000);

    afterAll(async () => {
      await packetAgents.cleanup();
      const removed = [];
      for (const id of instanceIds)
        removed.push((await hostAgent!.api('DELETE', `/v1/instances/${id}`)).status);
      const dels = [];
      for (const at of attached) dels.push((await lab.exec('switchyard-cni', 'DEL', config(), at)).exitCode);
      const netGone = hostAgent
        ? (await hostAgent.api('DELETE', `/v1/networks/${AGENT_NETWORK}`)).status
        : 204;
      for (const EndpointID of agentEndpoints)
        await c.plugin('deleteEndpoint', { TenantName: T, EndpointID });
      hostAgent?.stop();
      const problems = await lab.cleanup();
      await api?.stop();
      const agentLeft = hostAgent
        ? kernelObjects(hostAgent.prefix, { netns: lab.runtimeNs, stateDir: hostAgent.stateDir })
        : [];
      hostAgent?.removeState();
      expect({ problems, leftovers: lab.leftovers(), agentLeft, dels, removed, netGone }).toEqual({
        problems: [],
        leftovers: [],
        agentLeft: [],
        dels: attached.map(() => 0),
        removed: instanceIds.map(() => 204),
        netGone: 204,
      });
    }, 120_000);

    it('lets through exactly the probes the verdict API allows, between instances and containers both ways', async () => {
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
      const results: { probe: string; kinds: string; verdict: Verdict; packet: ProbeOutcome }[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENT }, async () => {
          while (next < probes.length) {
            const { from, to, proto, port } = probes[next++]!;
            const query = new URLSearchParams({
              tenant: T,
              from: from.ip,
              to: to.ip,
              protocol: proto,
              port: String(port),
            });
            const verdict = await admin.get<Verdict>(`/api/v1/fabric/verdict?${query}`);
            if (verdict.status !== 200) throw new Error(`verdict: ${verdict.status} ${verdict.text}`);
            const packet = await from.agent!.probe(proto, to.ip, port, SILENCE_MS);
            results.push({
              probe: `${from.what} ${from.ip} -> ${to.what} ${to.ip} ${port}/${proto}`,
              kinds: `${from.kind} -> ${to.kind}`,
              verdict: verdict.body,
              packet,
            });
          }
        }),
      );
      const disagreements = results
        .filter(
          (r) =>
            (r.packet.outcome === 'reached') !== (r.verdict.action === 'allow') ||
            r.packet.outcome === 'error',
        )
        .map((r) => ({ probe: r.probe, verdict: r.verdict, packet: r.packet }));
      expect(disagreements).toEqual([]);
      process.stdout.write(`mixed packets: ${results.length} probes, every one as the verdict says\n`);

      // both kinds in both directions, each with allowed and refused probes
      const byKinds: Record<string, { allowed: number; refused: number }> = {};
      for (const r of results) {
        const k = (byKinds[r.kinds] ??= { allowed: 0, refused: 0 });
        if (r.verdict.action === 'allow') k.allowed++;
        else k.refused++;
      }
      const seen = Object.entries(byKinds)
        .map(([kinds, n]) => `${kinds}: ${n.allowed > 0 && n.refused > 0}`)
        .sort();
      expect(seen).toEqual([
        'container -> container: true',
        'container -> instance: true',
        'instance -> container: true',
        'instance -> instance: true',
      ]);

      // the probes exercised the policy: both outcomes, every rule deciding some, refusals at both ends
      const allowed = results.filter((r) => r.verdict.action === 'allow').length;
      expect(allowed).toBeGreaterThan(100);
      expect(results.length - allowed).toBeGreaterThan(100);
      const deciders = new Set(
        results.map((r) =>
          typeof r.verdict.decidedBy === 'string'
            ? r.verdict.decidedBy
            : `${r.verdict.decidedBy.policy}:${r.verdict.decidedBy.ruleId}`,
        ),
      );
      expect([...deciders].sort()).toEqual(
        expect.arrayContaining([
          'default allow',
          'web-in:deny-all',
          'web-in:http',
          'web-in:no-http-from-db',
          'web-out:no-pg-to-db',
          'web-out:no-dns-ops',
          'app-in:deny-all',
          'app-in:from-web',
          'db-in:deny-all',
          'db-in:pg-app',
          'db-in:pg-lan',
          'ops-out:ssh',
          'ops-out:no-udp-db-pool',
          'quiet:no-mdns',
        ]),
      );
      expect({
        refusedBySender: results.some((r) => r.packet.detail === 'EPERM'),
        refusedByReceiver: results.some((r) => r.packet.detail === 'timeout'),
      }).toEqual({ refusedBySender: true, refusedByReceiver: true });
    }, 300_000);
  });
});
