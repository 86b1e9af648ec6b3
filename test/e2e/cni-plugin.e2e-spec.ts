import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CniLab, debianPluginsAvailability, type Attachment } from '../support/cni-lab.js';
import { Contiv, tokenFor, uniqueTenant } from '../support/fabric.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { gate } from '../support/skips.js';
import { testEnv } from '../support/test-env.js';
import { NetnsLab, netnsAvailability } from '../integration/fabric/netns-lab.js';
import {
  AgentProcess,
  TOKEN as AGENT_TOKEN,
  agentAvailability,
  kernelObjects,
} from '../support/agent-host.js';

// switchyard-cni as a runtime calls it: the installed executable run by absolute path with the CNI_*
// environment and the configuration on stdin, in a runtime namespace, against container namespaces
// this test makes, and a real Switchyard API.
const { describe: withNetns } = gate(netnsAvailability());
const { it: withDebianPlugins } = gate(debianPluginsAvailability());
const { it: withAgent } = gate(agentAvailability());

const T = uniqueTenant('cni');
let api: Proc & { url: string };
let admin: Client;
let c: Contiv;
let token = '';
const lab = new CniLab();
// only its packet agents (listeners and probes in a namespace) are used
const agents = new NetnsLab();

const config = (extra: object = {}) => ({
  cniVersion: '1.1.0',
  name: 'sy-front',
  type: 'switchyard-cni',
  url: lab.apiUrl,
  token,
  tenant: T,
  network: 'front',
  group: 'web',
  stateDir: lab.stateDir,
  namePrefix: 'syt',
  ...extra,
});
const sy = (command: string, cfg: object, at?: Attachment, env?: Record<string, string>) =>
  lab.exec('switchyard-cni', command, cfg, at, env);
let n = 0;
const attachment = async (): Promise<Attachment> => ({
  containerId: `c${process.pid}x${n++}`,
  netns: await lab.container(),
  ifname: 'eth0',
});
const endpointOf = (at: Attachment) =>
  c.http.get(`/netmaster/api/v1/inspect/endpoints/cni-${at.containerId}-${at.ifname}?tenant=${T}`);

withNetns('switchyard-cni, executed as a runtime does', () => {
  beforeAll(async () => {
    api = await startApi(await stackEnv());
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    c = new Contiv(admin);
    const ok = async (p: Promise<{ status: number; text: string }>) => {
      const res = await p;
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    };
    await ok(c.create('tenants', T, { tenantName: T }));
    await ok(
      c.create('networks', `${T}:front`, {
        tenantName: T,
        networkName: 'front',
        encap: 'vlan',
        subnet: '10.77.0.0/24',
        gateway: '10.77.0.254',
      }),
    );
    await ok(c.create('policys', `${T}:web-in`, { tenantName: T, policyName: 'web-in' }));
    await ok(
      c.create('rules', `${T}:web-in:deny-ssh`, {
        tenantName: T,
        policyName: 'web-in',
        ruleId: 'deny-ssh',
        direction: 'in',
        protocol: 'tcp',
        port: 22,
        action: 'deny',
      }),
    );
    await ok(
      c.create('networks', `${T}:side`, {
        tenantName: T,
        networkName: 'side',
        encap: 'vlan',
        subnet: '10.78.0.0/24',
        gateway: '10.78.0.254',
      }),
    );
    for (const group of ['web', 'db']) {
      await ok(
        c.create('endpointGroups', `${T}:${group}`, {
          tenantName: T,
          groupName: group,
          networkName: 'front',
          policies: group === 'web' ? ['web-in'] : [],
        }),
      );
    }
    token = await tokenFor(admin, T, 'operator', `cni-op-${process.pid}`);
    await lab.start(Number(new URL(api.url).port));
  }, 120_000);

  afterAll(async () => {
    await agents.cleanup();
    const problems = await lab.cleanup();
    await api?.stop();
    expect({ problems, leftovers: lab.leftovers() }).toEqual({ problems: [], leftovers: [] });
  });

  it('VERSION answers the versions it speaks', async () => {
    const res = await sy('VERSION', { cniVersion: '1.1.0' });
    expect(res.exitCode).toBe(0);
    expect(res.json).toEqual({ cniVersion: '1.1.0', supportedVersions: ['1.0.0', '1.1.0'] });
  });

  it('answers bad input with the CNI error JSON, its code and a non-zero exit', async () => {
    const at = await attachment();
    const bad = await sy('ADD', { cniVersion: '1.1.0', name: 'x', type: 'switchyard-cni', mtu: 'big' }, at);
    expect(bad.exitCode).toBe(1);
    expect(bad.json).toMatchObject({ cniVersion: '1.1.0', code: 7, msg: 'invalid network configuration' });
    for (const field of ['url', 'token', 'tenant', 'network', 'mtu'])
      expect(bad.json.details).toContain(`${field}:`);

    const env = await sy('ADD', config(), { ...at, containerId: '-bad', ifname: 'a/b' });
    expect(env.exitCode).toBe(1);
    expect(env.json.code).toBe(4);
    expect(env.json.details).toContain('CNI_CONTAINERID');
    expect(env.json.details).toContain('CNI_IFNAME');

    const notJson = await lab.exec('switchyard-cni', 'ADD', '{"cniVersion": "1.1.0",', at);
    expect(notJson.json).toMatchObject({ code: 6, msg: 'the configuration is not JSON' });
    const old = await sy('ADD', config({ cniVersion: '0.3.1' }), at);
    expect(old.json).toMatchObject({ cniVersion: '0.3.1', code: 1 });
    const noCommand = await sy('FROB', config(), at);
    expect(noCommand.json).toMatchObject({ code: 4 });
    expect(noCommand.json.details).toContain('CNI_COMMAND');
    // none of it reached the fabric
    expect((await endpointOf(at)).status).toBe(404);
  });

  it('ADD attaches the namespace with a fabric address and answers the CNI result; a repeated ADD answers the same', async () => {
    const at = await attachment();
    const add = await sy('ADD', config(), at);
    expect({ exit: add.exitCode, stderr: add.stderr }).toEqual({ exit: 0, stderr: '' });
    const result = add.json;
    expect(result).toEqual({
      cniVersion: '1.1.0',
      interfaces: [
        {
          name: expect.stringMatching(/^sytc[0-9a-f]{10}$/),
          mac: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/),
        },
        { name: 'eth0', mac: expect.stringMatching(/^02:02:0a:4d:00:/), sandbox: at.netns },
      ],
      ips: [{ address: expect.stringMatching(/^10\.77\.0\.\d+\/24$/), gateway: '10.77.0.254', interface: 1 }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.77.0.254' }],
      dns: {},
    });
    const address = result.ips[0].address as string;
    // the namespace has what the result says, and the tenant's ruleset
    const [link] = await lab.ipIn(at.netns, '-j', '-4', 'addr', 'show', 'dev', 'eth0');
    expect((await lab.ipIn(at.netns, '-j', 'link', 'show', 'dev', 'eth0'))[0].address).toBe(
      result.interfaces[1].mac,
    );
    expect(
      link.addr_info.map((a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`),
    ).toEqual([address]);
    expect(await lab.ipIn(at.netns, 'route', 'show', 'default')).toContain('via 10.77.0.254 dev eth0');
    expect(await lab.nftIn(at.netns, 'list', 'tables')).toContain(`table inet switchyard_${T}`);
    // the fabric knows the endpoint: its address, group and container
    const ep = await endpointOf(at);
    expect(ep.status).toBe(200);
    expect(ep.body.Oper).toMatchObject({
      containerID: at.containerId,
      serviceName: 'web',
      ipAddress: [address.split('/')[0], ''],
    });
    // the host end is on the network's bridge in the runtime's namespace
    const [host] = await lab.ipIn(lab.runtimeNs, '-j', 'link', 'show', 'dev', result.interfaces[0].name);
    expect(host.master).toBe('sytbv' + (await c.inspect('networks', `${T}:front`)).body.Oper.pktTag);

    const again = await sy('ADD', config(), at);
    expect(again.exitCode).toBe(0);
    expect(again.json).toEqual(result);
    expect((await endpointOf(at)).body.Oper.ipAddress[0]).toBe(address.split('/')[0]);
  });

  it('CHECK passes on an intact attachment, fails (110) once tampered with, reloads a removed ruleset', async () => {
    const at = await attachment();
    const prevResult = (await sy('ADD', config(), at)).json;
    expect((await sy('CHECK', config({ prevResult }), at)).exitCode).toBe(0);

    await lab.nftIn(at.netns, 'delete', 'table', 'inet', `switchyard_${T}`);
    const reloaded = await sy('CHECK', config({ prevResult }), at);
    expect(reloaded.exitCode).toBe(0);
    expect(await lab.nftIn(at.netns, 'list', 'tables')).toContain(`switchyard_${T}`);

    const noPrev = await sy('CHECK', config(), at);
    expect(noPrev.json).toMatchObject({ code: 7 });
    expect(noPrev.json.details).toContain('prevResult');

    await lab.ipIn(at.netns, 'addr', 'flush', 'dev', 'eth0');
    const tampered = await sy('CHECK', config({ prevResult }), at);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.json).toMatchObject({ cniVersion: '1.1.0', code: 110 });
    expect(tampered.json.details).toContain(prevResult.ips[0].address);
  });

  it('DEL releases the address (given to the next ADD), is repeatable, and works after the namespace is gone', async () => {
    const first = await attachment();
    const address = (await sy('ADD', config(), first)).json.ips[0].address;
    expect((await sy('DEL', config(), first)).exitCode).toBe(0);
    expect((await endpointOf(first)).status).toBe(404);
    expect(await lab.ipIn(first.netns, '-j', 'link', 'show')).toHaveLength(1); // only lo
    const again = await sy('DEL', config(), first);
    expect({ exit: again.exitCode, out: again.stdout }).toEqual({ exit: 0, out: '' });

    // the lowest free address comes first: the released one
    const second = await attachment();
    const added = (await sy('ADD', config(), second)).json;
    expect(added.ips[0].address).toBe(address);
    await lab.removeContainer(second.netns);
    const del = await sy('DEL', config(), second);
    expect({ exit: del.exitCode, stderr: del.stderr }).toEqual({ exit: 0, stderr: '' });
    expect((await endpointOf(second)).status).toBe(404);
    const hostLinks = await lab.ipIn(lab.runtimeNs, '-j', 'link', 'show');
    expect(hostLinks.map((l: { ifname: string }) => l.ifname)).not.toContain(added.interfaces[0].name);
    // DEL of an attachment never added (and no namespace) is fine too
    expect((await sy('DEL', config(), { containerId: 'never', netns: '', ifname: 'eth0' })).exitCode).toBe(0);
  });

  it('takes the group from CNI_ARGS over the configuration', async () => {
    const at = { ...(await attachment()), args: `IgnoreUnknown=1;K8S_POD_NAME=x;SWITCHYARD_GROUP=db` };
    expect((await sy('ADD', config(), at)).exitCode).toBe(0);
    expect((await endpointOf(at)).body.Oper.serviceName).toBe('db');
    expect((await sy('DEL', config(), at)).exitCode).toBe(0);
  });

  it('GC removes the attachments not in cni.dev/valid-attachments and keeps going past one it cannot read', async () => {
    const gcConfig = (valid: Attachment[]) =>
      config({
        name: 'sy-gc',
        'cni.dev/valid-attachments': valid.map((a) => ({ containerID: a.containerId, ifname: a.ifname })),
      });
    const [keep, stale1, stale2] = [await attachment(), await attachment(), await attachment()];
    for (const at of [keep, stale1, stale2]) expect((await sy('ADD', gcConfig([]), at)).exitCode).toBe(0);
    // a record this plugin cannot read, sorted before the others
    writeFileSync(join(lab.stateDir, 'sy-gc', '0000-broken.json'), '{not json');

    const gc = await sy('GC', gcConfig([keep]));
    expect(gc.exitCode).toBe(1);
    expect(gc.json).toMatchObject({
      cniVersion: '1.1.0',
      code: 130,
      msg: '1 stale attachment(s) not removed (2 removed)',
    });
    expect(gc.json.details).toContain('0000-broken.json');
    expect((await endpointOf(stale1)).status).toBe(404);
    expect((await endpointOf(stale2)).status).toBe(404);
    expect((await endpointOf(keep)).status).toBe(200);
    expect(await lab.ipIn(keep.netns, '-j', 'link', 'show', 'dev', 'eth0')).toHaveLength(1);
    expect(await lab.nftIn(stale1.netns, 'list', 'tables')).not.toContain(`switchyard_${T}`);
    expect((await sy('DEL', gcConfig([]), keep)).exitCode).toBe(0);
  });

  it('STATUS: ready with a good token and network, 50 otherwise', async () => {
    expect((await sy('STATUS', config())).exitCode).toBe(0);
    const badToken = await sy('STATUS', config({ token: 'syd_not_a_token_0123456789abcdefghijkl' }));
    expect(badToken.exitCode).toBe(1);
    expect(badToken.json).toMatchObject({ code: 50 });
    const noNetwork = await sy('STATUS', config({ network: 'nowhere' }));
    expect(noNetwork.json).toMatchObject({ code: 50 });
    expect(noNetwork.json.details).toContain('nowhere');
  });

  withDebianPlugins(
    'chains with Debian portmap: it takes the result as prevResult, its host port reaches the container; CHECK and DEL',
    async () => {
      // a configuration list of spec 1.0.0 (Debian's plugins speak up to it), run as libcni does
      const list = { cniVersion: '1.0.0', name: 'sy-chain' };
      const first = config(list);
      const portmap = { ...list, type: 'portmap', capabilities: { portMappings: true } };
      const runtimeConfig = { portMappings: [{ hostPort: 18080, containerPort: 80, protocol: 'tcp' }] };
      const at = await attachment();
      const added = await sy('ADD', first, at);
      expect(added.exitCode).toBe(0);
      expect(added.json.cniVersion).toBe('1.0.0');
      const mapped = await lab.exec(
        'portmap',
        'ADD',
        { ...portmap, runtimeConfig, prevResult: added.json },
        at,
      );
      expect({ exit: mapped.exitCode, stderr: mapped.stderr, out: mapped.json }).toEqual({
        exit: 0,
        stderr: '',
        out: added.json,
      });
      const final = mapped.json;
      // the host port reaches the container's listener through the address switchyard-cni gave it
      await agents.agent(at.netns.split('/').pop()!, ['80/tcp']);
      const client = await agents.agent(lab.runtimeNs, []);
      expect(await client.probe('tcp', lab.runtimeAddress, 18080, 5000)).toMatchObject({
        outcome: 'reached',
      });
      // Debian's portmap (1.1.1) fails its own CHECK on an IPv4-only result (it looks for IPv6 chains
      // it never made), so the chain's CHECK is switchyard-cni's, with the final result
      const check = await sy('CHECK', { ...first, prevResult: final }, at);
      expect({ exit: check.exitCode, out: check.stdout }).toEqual({ exit: 0, out: '' });
      for (const [plugin, cfg] of [
        ['portmap', { ...portmap, runtimeConfig }],
        ['switchyard-cni', first],
      ] as const) {
        const del = await lab.exec(plugin, 'DEL', { ...cfg, prevResult: final }, at);
        expect({ plugin, exit: del.exitCode }).toEqual({ plugin, exit: 0 });
      }
      expect((await endpointOf(at)).status).toBe(404);
    },
  );

  withAgent(
    "shares the host agent's bridge: a container and an agent instance on one network reach each other",
    async () => {
      // the agent runs in the runtime's namespace (the same "host"), with a prefix of its own
      const prefix = `c${process.pid % 100000}a`;
      const agent = new AgentProcess(prefix, {
        netns: lab.runtimeNs,
        listenHost: lab.runtimeAddress,
      });
      await agent.start();
      try {
        const cfg = config({
          name: 'sy-side',
          network: 'side',
          group: '',
          agent: { url: agent.url, token: AGENT_TOKEN, network: 'side' },
        });
        const at = await attachment();
        const add = await sy('ADD', cfg, at);
        expect({ exit: add.exitCode, stderr: add.stderr }).toEqual({ exit: 0, stderr: '' });
        // what the Linux-host adapter sends for this fabric network answers the same network
        const tag = (await c.inspect('networks', `${T}:side`)).body.Oper.pktTag as number;
        const net = await agent.api('PUT', '/v1/networks/side', {
          cidr: '10.78.0.0/24',
          gateway: '10.78.0.254',
          encap: 'vlan',
          tag,
        });
        expect(net.status).toBe(200);
        const [hostEnd] = await lab.ipIn(
          lab.runtimeNs,
          '-j',
          'link',
          'show',
          'dev',
          add.json.interfaces[0].name,
        );
        expect(hostEnd.master).toBe(net.json.bridge);
        expect((await sy('CHECK', { ...cfg, prevResult: add.json }, at)).exitCode).toBe(0);

        // an instance of the agent with an address from the same fabric network
        const granted = await c.plugin('allocAddress', { NetworkID: `side.${T}` });
        const instanceIp = (granted.body.IPv4Address as string).split('/')[0]!;
        const created = await agent.api('POST', '/v1/instances', {
          idempotencyKey: 'side-1',
          name: 'side-1',
          instanceType: 'lh.quarter',
          image: 'host-root',
          network: 'side',
          privateIp: instanceIp,
          tags: {},
        });
        expect(created.status).toBe(201);
        await agent.waitFor(created.json.id, 'running');
        const instanceNs = `${prefix}i${(created.json.id as string).replace('lh-', '')}`;
        await agents.agent(instanceNs, ['7070/tcp']);
        const container = await agents.agent(at.netns.split('/').pop()!, ['7071/tcp']);
        const instance = await agents.agent(instanceNs, []);
        const containerIp = (add.json.ips[0].address as string).split('/')[0]!;
        expect(await container.probe('tcp', instanceIp, 7070, 5000)).toMatchObject({ outcome: 'reached' });
        expect(await instance.probe('tcp', containerIp, 7071, 5000)).toMatchObject({ outcome: 'reached' });

        expect((await sy('DEL', cfg, at)).exitCode).toBe(0);
        expect((await agent.api('DELETE', `/v1/instances/${created.json.id}`)).status).toBe(204);
        await c.plugin('releaseAddress', { NetworkID: `side.${T}`, IPv4Address: instanceIp });
        expect((await agent.api('DELETE', '/v1/networks/side')).status).toBe(204);
      } finally {
        agent.stop();
      }
      expect(kernelObjects(prefix, { netns: lab.runtimeNs, stateDir: agent.stateDir })).toEqual([]);
    },
  );
});
