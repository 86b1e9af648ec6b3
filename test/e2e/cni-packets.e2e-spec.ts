import type { Verdict } from '@switchyard/network-fabric';
import { CniLab, type Attachment } from '../support/cni-lab.js';
import { Contiv, tokenFor, uniqueTenant } from '../support/fabric.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { gate } from '../support/skips.js';
import { testEnv } from '../support/test-env.js';
import {
  NetnsLab,
  netnsAvailability,
  type PacketAgent,
  type ProbeOutcome,
} from '../integration/fabric/netns-lab.js';

// Packets agree with verdicts, for containers attached by switchyard-cni: a tenant of four groups on
// two networks (one vlan, one vxlan with a VXLAN device), allows and denies at several priorities, in
// and out rules, a tie, network and address peers. Every container is a namespace the runtime
// attached through the plugin (group from the configuration or CNI_ARGS), holding the address and
// ruleset the plugin gave it; the runtime's namespace routes between the two networks and a host
// outside the tenant. Each listens on every probed TCP and UDP port, and every (from, to,
// protocol, port) probe must reach exactly when the verdict API says allow.
const { describe: withNetns } = gate(netnsAvailability());

const T = uniqueTenant('cnp');
const PORTS = ['22/tcp', '80/tcp', '443/tcp', '5432/tcp', '8080/tcp', '53/udp', '5353/udp'];
// a refused packet is dropped, so a refusal is known by its silence (allowed probes answer in ms)
const SILENCE_MS = 1500;
const CONCURRENT = 48;

interface Host {
  ns: string;
  ip: string;
  what: string;
  agent?: PacketAgent;
}

let api: Proc & { url: string };
let admin: Client;
let c: Contiv;
let token = '';
const lab = new CniLab();
const agents = new NetnsLab();
const hosts: Host[] = [];

async function ok(p: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await p;
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
}

async function rule(policyName: string, ruleId: string, body: Record<string, unknown>): Promise<void> {
  await ok(c.create('rules', `${T}:${policyName}:${ruleId}`, { tenantName: T, policyName, ruleId, ...body }));
}

async function buildTenant(): Promise<void> {
  await ok(c.create('tenants', T, { tenantName: T }));
  const net = (networkName: string, encap: string, subnet: string, gateway: string) =>
    ok(c.create('networks', `${T}:${networkName}`, { tenantName: T, networkName, encap, subnet, gateway }));
  await net('front', 'vlan', '10.91.0.0/24', '10.91.0.254');
  await net('back', 'vxlan', '10.92.0.0/24', '10.92.0.254');
  for (const p of ['web-in', 'web-out', 'app-in', 'db-in', 'ops-out', 'quiet']) {
    await ok(c.create('policys', `${T}:${p}`, { tenantName: T, policyName: p }));
  }
  const groups = [
    {
      groupName: 'web',
      networkName: 'front',
      ipPool: '10.91.0.10-10.91.0.29',
      policies: ['web-in', 'web-out'],
    },
    { groupName: 'app', networkName: 'front', policies: ['app-in', 'quiet'] },
    { groupName: 'db', networkName: 'back', ipPool: '10.92.0.10-10.92.0.29', policies: ['db-in', 'quiet'] },
    { groupName: 'ops', networkName: 'back', policies: ['ops-out'] },
  ];
  // groups before the rules that name them
  for (const { policies: _policies, ...g } of groups) {
    await ok(c.create('endpointGroups', `${T}:${g.groupName}`, { tenantName: T, ...g }));
  }
  // web: whitelisted (http from all but the back network, https from outside), no PostgreSQL to db,
  // DNS out except into the back network (a tie at 5: deny wins)
  await rule('web-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('web-in', 'http', { direction: 'in', priority: 10, action: 'allow', protocol: 'tcp', port: 80 });
  await rule('web-in', 'https-outside', {
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 443,
    fromIpAddress: '169.254.0.0/16',
  });
  await rule('web-in', 'no-http-from-back', {
    direction: 'in',
    priority: 30,
    action: 'deny',
    protocol: 'tcp',
    port: 80,
    fromNetwork: 'back',
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
  await rule('web-out', 'no-dns-back', {
    direction: 'out',
    priority: 5,
    action: 'deny',
    protocol: 'udp',
    port: 53,
    toNetwork: 'back',
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
  // db: PostgreSQL from app, and (lower) from anything on the front network but web, which its own
  // out rule stops; nothing else
  await rule('db-in', 'deny-all', { direction: 'in', priority: 1, action: 'deny' });
  await rule('db-in', 'pg-app', {
    direction: 'in',
    priority: 20,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromEndpointGroup: 'app',
  });
  await rule('db-in', 'pg-front', {
    direction: 'in',
    priority: 4,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromNetwork: 'front',
  });
  // ops: ssh anywhere (outranks every deny-all), no UDP to the outside
  await rule('ops-out', 'ssh', {
    direction: 'out',
    priority: 60,
    action: 'allow',
    protocol: 'tcp',
    port: 22,
  });
  await rule('ops-out', 'no-udp-outside', {
    direction: 'out',
    priority: 2,
    action: 'deny',
    protocol: 'udp',
    toIpAddress: '169.254.0.0/16',
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

const config = (network: string, group?: string) => ({
  cniVersion: '1.1.0',
  name: `sy-${network}`,
  type: 'switchyard-cni',
  url: lab.apiUrl,
  token,
  tenant: T,
  network,
  ...(group ? { group } : {}),
  stateDir: lab.stateDir,
  namePrefix: 'syt',
  // back spans hosts: a VXLAN device towards the other host's underlay address (nothing answers
  // there; local traffic stays on the bridge)
  ...(network === 'back'
    ? { vxlan: { localAddress: lab.runtimeAddress, remotes: [lab.uplinkAddress] } }
    : {}),
});

async function attachContainers(): Promise<{ at: Attachment; network: string }[]> {
  // the group from the configuration, or from CNI_ARGS as a runtime passes per-container arguments
  const placements = [
    ...['web', 'web', 'web', 'app', 'app'].map((g, i) => ({
      network: 'front',
      group: g,
      viaArgs: i % 2 === 0,
    })),
    ...['db', 'db', 'ops'].map((g, i) => ({ network: 'back', group: g, viaArgs: i === 1 })),
    { network: 'front', group: '', viaArgs: false },
    { network: 'back', group: '', viaArgs: false },
  ];
  const attached: { at: Attachment; network: string }[] = [];
  for (const [i, p] of placements.entries()) {
    const at: Attachment = {
      containerId: `pkt${process.pid}n${i}`,
      netns: await lab.container(),
      ifname: 'eth0',
      ...(p.viaArgs ? { args: `IgnoreUnknown=1;SWITCHYARD_GROUP=${p.group}` } : {}),
    };
    const add = await lab.exec(
      'switchyard-cni',
      'ADD',
      config(p.network, p.viaArgs ? undefined : p.group),
      at,
    );
    if (add.exitCode !== 0) throw new Error(`ADD ${at.containerId}: ${add.stdout} ${add.stderr}`);
    const address = (add.json.ips[0].address as string).split('/')[0]!;
    hosts.push({ ns: at.netns.split('/').pop()!, ip: address, what: p.group || `${p.network} network` });
    attached.push({ at, network: p.network });
  }
  const outside = await lab.outsideHost();
  hosts.push({ ...outside, what: 'outside the tenant' });
  return attached;
}

withNetns('packets agree with verdicts for containers attached by switchyard-cni', () => {
  let attached: { at: Attachment; network: string }[] = [];

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    c = new Contiv(admin);
    await buildTenant();
    token = await tokenFor(admin, T, 'operator', `cnp-op-${process.pid}`);
    await lab.start(Number(new URL(api.url).port));
    // the runtime's namespace routes between the two networks' bridges (their gateways)
    await lab.sysctlInRuntime('net.ipv4.ip_forward', '1');
    attached = await attachContainers();
    await Promise.all(hosts.map(async (h) => (h.agent = await agents.agent(h.ns, PORTS))));
  }, 180_000);

  afterAll(async () => {
    await agents.cleanup();
    // the runtime's DEL for each container, then the namespaces go
    const dels = [];
    for (const { at, network } of attached) {
      dels.push((await lab.exec('switchyard-cni', 'DEL', config(network), at)).exitCode);
    }
    const problems = await lab.cleanup();
    await api?.stop();
    expect({ problems, leftovers: lab.leftovers(), dels }).toEqual({
      problems: [],
      leftovers: [],
      dels: attached.map(() => 0),
    });
  });

  it('wired the vxlan network through a VXLAN device on its bridge', async () => {
    const vni = (await c.inspect('networks', `${T}:back`)).body.Oper.externalPktTag as number;
    const [vx] = await lab.ipIn(lab.runtimeNs, '-j', '-d', 'link', 'show', 'dev', `sytvx${vni}`);
    expect({ kind: vx.linkinfo.info_kind, id: vx.linkinfo.info_data.id, master: vx.master }).toEqual({
      kind: 'vxlan',
      id: vni,
      master: `sytbx${vni}`,
    });
    expect(await lab.bridgeIn(lab.runtimeNs, 'fdb', 'show', 'dev', `sytvx${vni}`)).toContain(
      `00:00:00:00:00:00 dst ${lab.uplinkAddress}`,
    );
  });

  it('lets through exactly the probes the verdict API allows (every pair of hosts, every port)', async () => {
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
            verdict: verdict.body,
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
        'web-in:https-outside',
        'web-in:no-http-from-back',
        'web-out:no-pg-to-db',
        'web-out:no-dns-back',
        'app-in:from-web',
        'db-in:pg-app',
        'db-in:pg-front',
        'ops-out:ssh',
        'ops-out:no-udp-outside',
        'quiet:no-mdns',
      ]),
    );
    expect({
      refusedBySender: results.some((r) => r.packet.detail === 'EPERM'),
      refusedByReceiver: results.some((r) => r.packet.detail === 'timeout'),
    }).toEqual({ refusedBySender: true, refusedByReceiver: true });
  }, 300_000);
});
