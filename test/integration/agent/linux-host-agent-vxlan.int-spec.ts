import { spawnSync } from 'node:child_process';
import { gate } from '../../support/skips.js';
import {
  AgentProcess,
  agentAvailability,
  instanceNode,
  kernelObjects,
  sweep,
} from '../../support/agent-host.js';

// Two "hosts" made of network namespaces joined by a veth (the underlay), an agent in each, and a
// VXLAN network spanning them: an instance on one host reaches an instance on the other over TCP.
const { describe: withAgent } = gate(agentAvailability());

const BASE = `t${process.pid % 100000}`;
const HOSTS = [
  {
    ns: `${BASE}ha`,
    underlay: '10.200.0.1',
    mgmtHost: '10.201.1.1',
    mgmtAgent: '10.201.1.2',
    prefix: `${BASE}a`,
  },
  {
    ns: `${BASE}hb`,
    underlay: '10.200.0.2',
    mgmtHost: '10.201.2.1',
    mgmtAgent: '10.201.2.2',
    prefix: `${BASE}b`,
  },
] as const;
const agents = HOSTS.map(
  (h) =>
    new AgentProcess(h.prefix, {
      netns: h.ns,
      underlay: h.underlay,
      listenHost: h.mgmtAgent,
    }),
);

function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

function probe(fromNetns: string, host: string, port: number): string {
  const code = `const s=require('net').connect(${port},'${host}');s.on('data',(d)=>{console.log('reached '+d);process.exit(0)});s.on('error',()=>{console.log('blocked');process.exit(0)});setTimeout(()=>{console.log('blocked');process.exit(0)},2000)`;
  return spawnSync('ip', ['netns', 'exec', fromNetns, process.execPath, '-e', code], {
    encoding: 'utf8',
  }).stdout.trim();
}

function probeUntilReached(fromNetns: string, host: string, port: number): string {
  let outcome = '';
  for (let i = 0; i < 5 && !outcome.startsWith('reached'); i++) outcome = probe(fromNetns, host, port);
  return outcome;
}

const listener = (port: number, says: string) =>
  `${instanceNode()} -e "require('net').createServer((s) => s.on('error', () => {}).end('${says}')).listen(${port}, () => console.log('listening on ${port}'))" &`;

withAgent('two Linux-host agents sharing a VXLAN network', () => {
  beforeAll(async () => {
    for (const h of HOSTS) ip('netns', 'add', h.ns);
    // the underlay: one veth between the two hosts
    ip(
      'link',
      'add',
      `${BASE}u0`,
      'netns',
      HOSTS[0].ns,
      'type',
      'veth',
      'peer',
      'name',
      `${BASE}u1`,
      'netns',
      HOSTS[1].ns,
    );
    for (const [i, h] of HOSTS.entries()) {
      ip('-n', h.ns, 'link', 'set', `${BASE}u${i}`, 'name', 'eth0');
      ip('-n', h.ns, 'address', 'add', `${h.underlay}/24`, 'dev', 'eth0');
      ip('-n', h.ns, 'link', 'set', 'eth0', 'up');
      ip('-n', h.ns, 'link', 'set', 'lo', 'up');
      // a management link from this test's namespace, for the agent's HTTP
      ip('link', 'add', `${BASE}m${i}`, 'type', 'veth', 'peer', 'name', 'mgmt', 'netns', h.ns);
      ip('address', 'add', `${h.mgmtHost}/30`, 'dev', `${BASE}m${i}`);
      ip('link', 'set', `${BASE}m${i}`, 'up');
      ip('-n', h.ns, 'address', 'add', `${h.mgmtAgent}/30`, 'dev', 'mgmt');
      ip('-n', h.ns, 'link', 'set', 'mgmt', 'up');
    }
    for (const a of agents) await a.start();
  });

  afterAll(() => {
    for (const a of agents) a.stop();
    for (const [i, h] of HOSTS.entries()) {
      sweep(h.prefix, agents[i]!.stateDir);
      spawnSync('ip', ['netns', 'delete', h.ns]);
      spawnSync('ip', ['link', 'delete', `${BASE}m${i}`]);
      agents[i]!.removeState();
    }
  });

  it('carries TCP between instances on different hosts, and leaves nothing behind', async () => {
    const ids: string[] = [];
    for (const [i, a] of agents.entries()) {
      const other = HOSTS[1 - i]!.underlay;
      const net = await a.api('PUT', '/v1/networks/span', {
        cidr: '10.95.0.0/24',
        gateway: '10.95.0.1',
        encap: 'vxlan',
        tag: 9501,
        remotes: [other],
      });
      expect(net.status).toBe(200);
      const created = await a.api('POST', '/v1/instances', {
        idempotencyKey: `span-${i}`,
        name: `span${i}`,
        instanceType: 'lh.quarter',
        image: 'host-root',
        network: 'span',
        privateIp: `10.95.0.${10 + i}`,
        userData: `#cloud-config\nruncmd:\n  - ${JSON.stringify(listener(8080, `host${i}`))}\n`,
        tags: {},
      });
      expect(created.status).toBe(201);
      ids.push(created.json.id);
    }
    for (const [i, a] of agents.entries()) {
      await a.waitFor(ids[i]!, 'running');
      await a.waitForConsole(ids[i]!, 'listening on 8080');
    }
    const netns = (i: number) => `${HOSTS[i]!.prefix}i${ids[i]!.replace('lh-', '')}`;
    // the first packets wait for ARP on both layers: a few tries before the answer counts
    expect(probeUntilReached(netns(0), '10.95.0.11', 8080)).toBe('reached host1');
    expect(probeUntilReached(netns(1), '10.95.0.10', 8080)).toBe('reached host0');
    // and the packets went through each host's VXLAN device (the hosts share nothing else)
    for (const h of HOSTS) {
      const links = JSON.parse(
        spawnSync('ip', ['-n', h.ns, '-s', '-j', '-d', 'link', 'show'], { encoding: 'utf8' }).stdout,
      ) as { linkinfo?: { info_kind: string }; stats64: { tx: { packets: number } } }[];
      const vxlan = links.find((l) => l.linkinfo?.info_kind === 'vxlan');
      expect(vxlan?.stats64.tx.packets).toBeGreaterThan(0);
    }

    for (const [i, a] of agents.entries()) {
      expect((await a.api('DELETE', `/v1/instances/${ids[i]}`)).status).toBe(204);
      expect((await a.api('DELETE', '/v1/networks/span')).status).toBe(204);
      expect(kernelObjects(HOSTS[i]!.prefix, { netns: HOSTS[i]!.ns, stateDir: a.stateDir })).toEqual([]);
    }
  });
});
