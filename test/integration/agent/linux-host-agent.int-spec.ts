import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gate } from '../../support/skips.js';
import {
  AgentProcess,
  agentAvailability,
  instanceNode,
  kernelObjects,
  sweep,
} from '../../support/agent-host.js';

// The Linux-host agent (apps/agent) as the worker uses it: its built process on this host with its
// own name prefix, instances as network namespaces on a bridge, booted from cloud-init user-data.
const { describe: withAgent } = gate(agentAvailability());

const PREFIX = `t${process.pid % 100000}`;
const agent = new AgentProcess(PREFIX);
const HOST_MARK = `/etc/sy-agent-test-${process.pid}`;
let loopback: Server;
let loopbackPort = 0;

const cloudConfig = (runcmd: unknown[], extra = '') =>
  `#cloud-config\n${extra}runcmd:\n${runcmd.map((c) => `  - ${JSON.stringify(c)}`).join('\n')}\n`;

// a node on the host's root (so inside the overlay too); says `listening on PORT` when bound
const listener = (port: number) =>
  `${instanceNode()} -e "require('net').createServer((s) => s.on('error', () => {}).end('hi')).listen(${port}, () => console.log('listening on ${port}'))" &`;

// fromNetns null: from the host itself
function probe(fromNetns: string | null, host: string, port: number): 'reached' | 'blocked' {
  const code = `const s=require('net').connect(${port},'${host}');s.on('connect',()=>{console.log('reached');process.exit(0)});s.on('error',()=>{console.log('blocked');process.exit(0)});setTimeout(()=>{console.log('blocked');process.exit(0)},1500)`;
  const argv = [process.execPath, '-e', code];
  const out = fromNetns
    ? spawnSync('ip', ['netns', 'exec', fromNetns, ...argv], { encoding: 'utf8' })
    : spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return out.stdout.trim() as 'reached' | 'blocked';
}

async function createInstance(
  key: string,
  ip: string,
  userData: string,
  extra: Record<string, unknown> = {},
) {
  const res = await agent.api('POST', '/v1/instances', {
    idempotencyKey: key,
    name: key,
    instanceType: 'lh.quarter',
    image: 'host-root',
    network: 'front',
    privateIp: ip,
    userData,
    tags: { 'switchyard:deployment': 'd1', tier: key },
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const netnsOf = (id: string) => `${PREFIX}i${id.replace('lh-', '')}`;

withAgent('Linux-host agent', () => {
  beforeAll(async () => {
    loopback = createServer((s) => s.end('host secret\n'));
    await new Promise<void>((ok) => loopback.listen(0, '127.0.0.1', ok));
    loopbackPort = (loopback.address() as { port: number }).port;
    await agent.start();
  });

  afterAll(async () => {
    agent.stop();
    loopback?.close();
    sweep(PREFIX, agent.stateDir);
    agent.removeState();
  });

  it('asks for the token on every route but health', async () => {
    expect((await agent.api('GET', '/v1/health', undefined, { token: null })).status).toBe(200);
    const none = await agent.api('GET', '/v1/instances', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('Unauthorized');
    expect((await agent.api('GET', '/v1/host', undefined, { token: 'x'.repeat(40) })).status).toBe(401);
    const host = await agent.api('GET', '/v1/host');
    expect(host.json.instanceTypes.map((t: any) => t.id)).toEqual(['lh.quarter', 'lh.half', 'lh.1', 'lh.2']);
  });

  it('names every bad field of a body by its path', async () => {
    const net = await agent.api('PUT', '/v1/networks/bad%20name', {
      cidr: '10.1.0.5/24',
      encap: 'gre',
      tag: 0,
    });
    expect(net.status).toBe(400);
    expect(net.json.error.details.fields.map((f: any) => f.path).sort()).toEqual([
      'cidr',
      'encap',
      'gateway',
      'name',
      'tag',
    ]);
    const inst = await agent.api('POST', '/v1/instances', {
      idempotencyKey: 'k',
      name: 'has space',
      instanceType: 'm5.large',
      image: 'host-root',
      network: 'nope',
      privateIp: '10.0.0.300',
      userData: '#cloud-config\nwrite_files:\n  - path: ../etc/passwd\nruncmd: 5\n',
      tags: {},
    });
    expect(inst.status).toBe(400);
    expect(inst.json.error.details.fields.map((f: any) => f.path).sort()).toEqual([
      'instanceType',
      'name',
      'network',
      'privateIp',
      'userData.runcmd',
      'userData.write_files[0].path',
    ]);
    expect((await agent.api('POST', '/v1/instances', undefined)).status).toBe(400);
    expect((await agent.api('GET', '/v1/instances/%E0%A4%A')).status).toBe(400);
    expect((await agent.api('GET', '/v1/instances?tag=novalue')).json.error.details.fields).toEqual([
      { path: 'tag[0]', message: 'must be KEY=VALUE' },
    ]);
  });

  it('undoes a network whose setup the kernel refuses part way (a VNI taken twice)', async () => {
    const a = await agent.api('PUT', '/v1/networks/va', {
      cidr: '10.91.0.0/24',
      gateway: '10.91.0.1',
      encap: 'vxlan',
      tag: 7001,
    });
    expect(a.status).toBe(200);
    const before = kernelObjects(PREFIX, { stateDir: agent.stateDir });
    const b = await agent.api('PUT', '/v1/networks/vb', {
      cidr: '10.92.0.0/24',
      gateway: '10.92.0.1',
      encap: 'vxlan',
      tag: 7001,
    });
    expect(b.status).toBe(409);
    expect(kernelObjects(PREFIX, { stateDir: agent.stateDir })).toEqual(before);
    expect((await agent.api('DELETE', '/v1/networks/va')).status).toBe(204);
    expect((await agent.api('DELETE', '/v1/networks/va')).status).toBe(204);
  });

  describe('a network with two instances', () => {
    let web = '';
    let app = '';

    beforeAll(async () => {
      const net = await agent.api('PUT', '/v1/networks/front', {
        cidr: '10.93.0.0/24',
        gateway: '10.93.0.1',
        encap: 'vlan',
        tag: 93,
      });
      expect(net.status).toBe(200);
      web = await createInstance(
        'web',
        '10.93.0.10',
        cloudConfig(
          [listener(8080)],
          'write_files:\n  - path: /opt/web/index.html\n    content: hello from web\n',
        ),
      );
      app = await createInstance(
        'app',
        '10.93.0.11',
        cloudConfig([
          listener(8081),
          // each must fail, and say so in the console
          `echo pwned > ${HOST_MARK} || echo host-etc-refused`,
          'touch /root/x || echo host-root-refused',
          'hostname other || echo hostname-refused',
          `ls /proc | grep -c '^[0-9]' | sed 's/^/pids=/'`,
          `python3 -c "import socket;socket.create_connection(('127.0.0.1',${loopbackPort}),1)" 2>/dev/null && echo loopback-reached || echo loopback-refused`,
          'echo mine > /var/tmp/app-wrote && echo wrote-var-tmp',
          'echo isolation-done',
        ]),
      );
      await agent.waitFor(web, 'running');
      await agent.waitFor(app, 'running');
      await agent.waitForConsole(web, 'listening on 8080');
      await agent.waitForConsole(app, 'listening on 8081');
      await agent.waitForConsole(app, 'isolation-done');
    });

    it('gives the same instance for the same idempotency key', async () => {
      const again = await agent.api('POST', '/v1/instances', {
        idempotencyKey: 'web',
        name: 'web',
        instanceType: 'lh.quarter',
        image: 'host-root',
        network: 'front',
        privateIp: '10.93.0.10',
        tags: {},
      });
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(web);
      const listed = await agent.api('GET', '/v1/instances?tag=switchyard:deployment=d1&tag=tier=web');
      expect(listed.json.map((i: any) => i.id)).toEqual([web]);
      const managed = await agent.api('GET', '/v1/instances?managed=switchyard:deployment');
      expect(managed.json.map((i: any) => i.id).sort()).toEqual([web, app].sort());
    });

    it('lets one instance reach the other over TCP across the bridge, but not the host reach them', async () => {
      expect(probe(netnsOf(app), '10.93.0.10', 8080)).toBe('reached');
      expect(probe(netnsOf(web), '10.93.0.11', 8081)).toBe('reached');
      // the gateway is the host: the network's guard table keeps instances off it
      expect(probe(netnsOf(app), '10.93.0.1', agent.port)).toBe('blocked');
    });

    it('lets the host open connections to an instance (their answers pass the guard table)', () => {
      // what a benchmark's load generator in a worker on this host does
      expect(probe(null, '10.93.0.10', 8080)).toBe('reached');
    });

    it('applies a ruleset PUT in the instance namespace: it blocks, then allows again', async () => {
      const ruleset =
        'table inet guest {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport 8080 drop\n  }\n}\n';
      expect((await agent.api('PUT', `/v1/instances/${web}/ruleset`, ruleset, { text: true })).status).toBe(
        204,
      );
      expect(probe(netnsOf(app), '10.93.0.10', 8080)).toBe('blocked');
      const allow = 'flush table inet guest\n';
      expect((await agent.api('PUT', `/v1/instances/${web}/ruleset`, allow, { text: true })).status).toBe(
        204,
      );
      expect(probe(netnsOf(app), '10.93.0.10', 8080)).toBe('reached');
      const bad = await agent.api('PUT', `/v1/instances/${web}/ruleset`, 'include "/etc/shadow"\n', {
        text: true,
      });
      expect(bad.status).toBe(400);
    });

    it("keeps a script off the host's files, processes, loopback and hostname", async () => {
      const console = (await agent.api('GET', `/v1/instances/${app}/console`)).text;
      // each marker on a line of its own (the command echoed before it contains it too)
      const said = (marker: string) => new RegExp(`^${marker}$`, 'm').test(console);
      for (const refused of [
        'host-etc-refused',
        'host-root-refused',
        'hostname-refused',
        'loopback-refused',
      ]) {
        expect([refused, said(refused)]).toEqual([refused, true]);
      }
      expect(said('loopback-reached')).toBe(false);
      // its own PID namespace: its init, python, the shell and ls; never the host's hundreds
      const pids = Number(/pids=(\d+)/.exec(console)?.[1]);
      expect(pids).toBeGreaterThan(0);
      expect(pids).toBeLessThan(10);
      expect(existsSync(HOST_MARK)).toBe(false);
      expect(existsSync('/root/x')).toBe(false);
      expect(hostname()).not.toBe('other');
      // its writes are in its overlay, not on the host
      expect(console).toContain('wrote-var-tmp');
      expect(existsSync('/var/tmp/app-wrote')).toBe(false);
      expect(readFileSync(join(agent.stateDir, 'runtime', app, 'upper', 'var/tmp/app-wrote'), 'utf8')).toBe(
        'mine\n',
      );
    });

    it('sets the cgroup limits and CPU weight the instance type says, and a process limit', async () => {
      const cgroup = netnsOf(web);
      const v2 = `/sys/fs/cgroup/${cgroup}`;
      const read = (...path: string[]) => readFileSync(join(...path), 'utf8').trim();
      if (existsSync(join(v2, 'cpu.max'))) {
        expect(read(v2, 'cpu.max')).toBe('25000 100000');
        // a quarter of the default weight: under contention a quarter of a 1-CPU instance's time
        expect(read(v2, 'cpu.weight')).toBe('25');
        expect(read(v2, 'memory.max')).toBe(String(256 * 1024 * 1024));
      } else {
        // a hybrid host (this one): limits through cgroup v1
        expect(read('/sys/fs/cgroup/cpu', cgroup, 'cpu.cfs_quota_us')).toBe('25000');
        expect(read('/sys/fs/cgroup/cpu', cgroup, 'cpu.shares')).toBe('256');
        expect(read('/sys/fs/cgroup/memory', cgroup, 'memory.limit_in_bytes')).toBe(
          String(256 * 1024 * 1024),
        );
      }
      const pidsMax = [join(v2, 'pids.max'), join('/sys/fs/cgroup/pids', cgroup, 'pids.max')].find((f) =>
        existsSync(f),
      );
      expect(pidsMax && read(pidsMax)).toBe('512');
      // and the instance's processes are in the group
      const procs = read(
        existsSync(join(v2, 'cgroup.procs')) ? v2 : `/sys/fs/cgroup/unified/${cgroup}`,
        'cgroup.procs',
      );
      expect(procs.split('\n').length).toBeGreaterThanOrEqual(2);
    });

    it('stops, starts again on the same overlay, and terminates leaving nothing', async () => {
      expect((await agent.api('POST', `/v1/instances/${web}/stop`)).status).toBe(202);
      await agent.waitFor(web, 'stopped');
      expect(probe(netnsOf(app), '10.93.0.10', 8080)).toBe('blocked');
      expect((await agent.api('POST', `/v1/instances/${web}/start`)).status).toBe(202);
      await agent.waitFor(web, 'running');
      // a start is a reboot: runcmd runs again, on the same overlay
      await waitUntil(() => probe(netnsOf(app), '10.93.0.10', 8080) === 'reached');
      const console = (await agent.api('GET', `/v1/instances/${web}/console`)).text;
      expect(console.match(/booted web/g)).toHaveLength(2);
      expect(console.match(/^listening on 8080$/gm)).toHaveLength(2);
      const upper = join(agent.stateDir, 'runtime', web, 'upper');
      expect(readFileSync(join(upper, 'opt/web/index.html'), 'utf8')).toBe('hello from web');

      for (const id of [web, app])
        expect((await agent.api('DELETE', `/v1/instances/${id}`)).status).toBe(204);
      expect((await agent.api('DELETE', `/v1/instances/${web}`)).status).toBe(204);
      expect(existsSync(upper)).toBe(false);
      expect((await agent.api('DELETE', '/v1/networks/front')).status).toBe(204);
      expect(kernelObjects(PREFIX, { stateDir: agent.stateDir })).toEqual([]);
    });
  });

  it('refuses to delete a network with instances; a boot whose packages are missing, or whose setup fails part way, leaves nothing', async () => {
    await agent.api('PUT', '/v1/networks/front', {
      cidr: '10.94.0.0/24',
      gateway: '10.94.0.1',
      encap: 'vlan',
      tag: 94,
    });
    const id = await createInstance('pkg', '10.94.0.10', '#cloud-config\npackages: [no-such-package-sy]\n');
    const failed = await agent.waitFor(id, 'error');
    expect(failed.error).toContain('no-such-package-sy');
    expect(kernelObjects(`${PREFIX}i`, { stateDir: agent.stateDir })).toEqual([]);
    expect((await agent.api('DELETE', '/v1/networks/front')).status).toBe(409);
    expect((await agent.api('DELETE', `/v1/instances/${id}`)).status).toBe(204);

    // a setup that fails part way (the file's owner is no user of the host: chown fails after the
    // cgroup, netns, veth and overlay were made) undoes all of it
    const broken = await createInstance(
      'owner',
      '10.94.0.11',
      '#cloud-config\nwrite_files:\n  - path: /opt/x\n    content: x\n    owner: nosuchuser-sy\n',
    );
    expect((await agent.waitFor(broken, 'error')).error).toContain('nosuchuser-sy');
    expect(kernelObjects(`${PREFIX}i`, { stateDir: agent.stateDir })).toEqual([]);
    expect(kernelObjects(`${PREFIX}v`, { stateDir: agent.stateDir })).toEqual([]);
    expect(existsSync(join(agent.stateDir, 'runtime', broken))).toBe(false);
    expect((await agent.api('DELETE', `/v1/instances/${broken}`)).status).toBe(204);
    expect((await agent.api('DELETE', '/v1/networks/front')).status).toBe(204);
    expect(kernelObjects(PREFIX, { stateDir: agent.stateDir })).toEqual([]);
  });
});
