import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { parse } from 'yaml';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import {
  openStackAvailability,
  startOpenStack,
  stopOpenStack,
} from '../integration/cloud/support/openstack.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { NetnsLab, netnsAvailability, type PacketAgent } from '../integration/fabric/netns-lab.js';
import { CloudInspector, compactId } from '../support/cloud-inspector.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import {
  createOpenStackCloud,
  createSimulatedClouds,
  type OpenStackCloud,
  type SimulatedClouds,
} from '../support/simulated-clouds.js';
import { gate } from '../support/skips.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

// Issue 17 part 2: the three-tier shop split across AWS (moto), OpenStack and vSphere (vcsim). What
// each cloud holds as the VM's cloud-init (read from the peer, past Switchyard) writes the instance's
// nftables ruleset, loads it in bootcmd and starts the policy pull; the rulesets load with nft; in
// network namespaces at the VMs' addresses they let through exactly what the verdict API allows; the
// pull route answers each instance its own ruleset, follows a `syd net` edit, and stops at terminate.

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const run = promisify(execFile);
const OPENSTACK = await openStackAvailability();
const withOpenStack = gate(OPENSTACK);
const NETNS = netnsAvailability();
const withNetns = gate(NETNS);
const PORTS = [22, 80, 443, 5432, 8080, 9000];
const OUTSIDE = '192.168.77.5';
const SILENCE_MS = 1500;

type Clouds = SimulatedClouds & Partial<OpenStackCloud>;
interface Vm {
  tier: string;
  index: number;
  environment: string;
  resourceId: string;
  address: string;
  userData: string;
  files: Record<string, string>;
  bootcmd: string[][];
}

withOpenStack.describe('guest enforcement of the three-tier shop on AWS, OpenStack and vSphere', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let openstack: CloudPeer | null;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: Clouds;
  let look: CloudInspector;
  let split = '';
  let other = '';
  const vms: Vm[] = [];
  const otherVms: Vm[] = [];
  const lab = new NetnsLab();
  let labStarted = false;

  const pull = (token: string, etag?: string) =>
    admin.as(undefined).get('/api/v1/guest/ruleset', {
      authorization: `Bearer ${token}`,
      ...(etag ? { 'if-none-match': etag } : {}),
    });
  const tokenOf = (vm: Vm) =>
    /^Authorization: Bearer (sydg_\S+)\n$/.exec(vm.files['/etc/switchyard/policy-auth']!)![1]!;
  const prefixOf = (id: string) => `d-${compactId(id)}`;

  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        return states.includes(d.state) && (d.step === 'done' || d.state === 'failed') ? d : undefined;
      },
      300_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );

  const order = async (name: string, placement: object): Promise<string> => {
    const res = await admin.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `${name}-${RUN}`,
      parameters: { dbPassword: 'hunter2-secret', appCount: 1 },
      placement,
    });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  async function vmsOf(id: string): Promise<Vm[]> {
    const d = await settle(id, ['running', 'failed']);
    expect({ state: d.state, failure: d.failure }).toEqual({ state: 'running', failure: null });
    const out: Vm[] = [];
    for (const t of d.tiers) {
      for (const i of t.instances) {
        const userData = await look.userDataOf(i.environment, i.resourceId);
        const doc = parse(userData) as {
          write_files: { path: string; content: string }[];
          bootcmd: string[][];
        };
        out.push({
          tier: t.tier,
          index: i.index,
          environment: i.environment,
          resourceId: i.resourceId,
          address: i.address,
          userData,
          files: Object.fromEntries(doc.write_files.map((f) => [f.path, f.content])),
          bootcmd: doc.bootcmd,
        });
      }
    }
    return out;
  }

  beforeAll(async () => {
    [moto, vcsim, openstack] = await Promise.all([startMoto(), startVcsim(), startOpenStack()]);
    if (!openstack) throw new Error('OpenStack was expected here but did not start');
    const env = await stackEnv({ WORKER_CONCURRENCY: '4' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    db = await testDb();
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack });
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
    Object.assign(clouds, await createOpenStackCloud(admin, openstack, RUN));
    look.providers.set(clouds.aws, 'aws').set(clouds.vsphere, 'vsphere').set(clouds.openstack!, 'openstack');
    split = await order('guest-split', {
      default: clouds.aws,
      tiers: { app: clouds.openstack, db: clouds.vsphere },
    });
    other = await order('guest-other', { default: clouds.aws });
    vms.push(...(await vmsOf(split)));
    otherVms.push(...(await vmsOf(other)));
  }, 600_000);

  afterAll(async () => {
    if (labStarted) {
      const problems = await lab.cleanup();
      expect({ problems, leftovers: lab.leftovers() }).toEqual({ problems: [], leftovers: [] });
    }
    for (const id of [split, other].filter(Boolean)) {
      const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
      if (d.state !== 'terminated') {
        await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' });
        await settle(id, ['terminated', 'failed']).catch(() => undefined);
      }
    }
    look?.close();
    await worker?.stop();
    await api?.stop();
    await db?.end();
    await Promise.all([moto?.stop(), vcsim?.stop(), stopOpenStack()]);
  }, 400_000);

  it("puts each VM's own ruleset in the cloud-init each cloud holds, loaded in bootcmd and kept by the pull", async () => {
    const prefix = prefixOf(split);
    expect(vms.map((v) => `${v.tier}@${look.providerOf(v.environment)}`).sort()).toEqual([
      'app@openstack',
      'db@vsphere',
      'web@aws',
    ]);
    const policyRules: Record<string, string[]> = {};
    for (const tier of ['web', 'app', 'db']) {
      const rules = (await admin.get(`/netmaster/api/v1/rules/`)).body as {
        policyName: string;
        ruleId: string;
      }[];
      policyRules[tier] = rules
        .filter((r) => r.policyName === `${prefix}-${tier}`)
        .map((r) => `${r.policyName}:${r.ruleId}`)
        .sort();
      expect(policyRules[tier]!.length).toBeGreaterThanOrEqual(2);
    }
    for (const vm of vms) {
      const ruleset = vm.files['/etc/switchyard/nftables.nft']!;
      expect(vm.userData).toMatch(/^#cloud-config\n/);
      expect(ruleset).toMatch(/^# Switchyard fabric policy of tenant "default"/);
      expect(ruleset).toContain('table inet switchyard_default {');
      // every rule of its own tier, in its chains
      const comments = [...ruleset.matchAll(/comment "([^"]+)"/g)].map((m) => m[1]!);
      expect(comments.filter((c) => c.startsWith(`${prefix}-${vm.tier}:`)).sort()).toEqual(
        policyRules[vm.tier],
      );
      // nothing of the other deployment: neither its groups nor its addresses
      expect(comments.filter((c) => !c.startsWith(`${prefix}-`))).toEqual([]);
      for (const o of otherVms) expect(ruleset).not.toContain(o.address);
      // loaded at every boot, the pull started there too; the tier's script stays in runcmd
      expect(vm.bootcmd).toEqual([
        ['sh', '-c', 'if [ -f /etc/switchyard/nftables.nft ]; then nft -f /etc/switchyard/nftables.nft; fi'],
        ['sh', '-c', expect.stringContaining('exec /usr/local/sbin/switchyard-policy-pull')],
      ]);
      expect(vm.files['/etc/switchyard/policy-url']).toBe(`${api.url}/api/v1/guest/ruleset\n`);
      // what the VM boots with is current: its own token's pull answers 304 to the ETag beside it
      const etag = vm.files['/etc/switchyard/nftables.etag']!.trim();
      const current = await pull(tokenOf(vm));
      expect(current.status).toBe(200);
      expect(current.text).toBe(ruleset);
      expect(current.headers.get('etag')).toBe(etag);
      expect((await pull(tokenOf(vm), etag)).status).toBe(304);
    }
  });

  it('records per tier which mechanism enforces each rule: security groups and nftables, vSphere nftables only', async () => {
    const d = (await admin.get(`/api/v1/deployments/${split}`)).body;
    for (const t of d.tiers) {
      const provider = look.providerOf(t.environment);
      expect(t.enforcement.cloud).toBe(provider === 'aws' ? 'aws-ec2' : provider);
      expect(t.enforcement.rules.length).toBeGreaterThanOrEqual(2);
      for (const r of t.enforcement.rules) {
        if (provider === 'vsphere') {
          expect(r).toEqual({
            ruleId: r.ruleId,
            text: expect.any(String),
            mechanisms: ['nftables'],
            securityGroupGap: expect.stringContaining('a vSphere port group filters no traffic'),
          });
        } else {
          expect(r.mechanisms).toEqual(['security-group', 'nftables']);
        }
      }
    }
    const events = (await admin.get(`/api/v1/deployments/${split}/events`)).body.items as { type: string }[];
    expect(events.filter((e) => e.type === 'policy.unsupported')).toEqual([]);
    expect(events.filter((e) => e.type === 'policy.enforced')).toHaveLength(3);
    const shown = await runSyd(['deployment', 'show', split], {
      SWITCHYARD_URL: api.url,
      SWITCHYARD_TOKEN: ADMIN,
    });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /db .*deny-all: deny in any protocol from anywhere .*nftables in the guest only/,
    );
    expect(shown.stdout).toMatch(/web .*security group \+ nftables/);
  });

  withNetns.it('rulesets that nft loads (check mode, nothing installed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syd-guest-'));
    try {
      for (const vm of [...vms, ...otherVms]) {
        const file = join(dir, `${vm.tier}-${vm.index}.nft`);
        writeFileSync(file, vm.files['/etc/switchyard/nftables.nft']!);
        await expect(run('nft', ['-c', '-f', file])).resolves.toBeDefined();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withNetns.it(
    'lets through exactly what the verdict API allows, each VM a namespace loading the ruleset from its cloud-init',
    async () => {
      await lab.start();
      labStarted = true;
      const hosts: { what: string; ip: string; agent: PacketAgent }[] = [];
      for (const vm of vms) {
        const ns = await lab.host(vm.address, 24);
        await lab.loadRuleset(ns, vm.files['/etc/switchyard/nftables.nft']!);
        hosts.push({
          what: vm.tier,
          ip: vm.address,
          agent: await lab.agent(
            ns,
            PORTS.map((p) => `${p}/tcp`),
          ),
        });
      }
      const outside = await lab.host(OUTSIDE, 24);
      hosts.push({
        what: 'outside',
        ip: OUTSIDE,
        agent: await lab.agent(
          outside,
          PORTS.map((p) => `${p}/tcp`),
        ),
      });
      const results: string[] = [];
      const disagreements: string[] = [];
      await Promise.all(
        hosts.flatMap((from) =>
          hosts
            .filter((to) => to !== from)
            .flatMap((to) =>
              PORTS.map(async (port) => {
                const q = `from=${from.ip}&to=${to.ip}&protocol=tcp&port=${port}`;
                const verdict = (await admin.get(`/api/v1/fabric/verdict?${q}`)).body as { action: string };
                const packet = await from.agent.probe('tcp', to.ip, port, SILENCE_MS);
                const line = `${from.what} -> ${to.what} ${port}/tcp: verdict ${verdict.action}, packet ${packet.outcome}`;
                results.push(line);
                if (
                  (packet.outcome === 'reached') !== (verdict.action === 'allow') ||
                  packet.outcome === 'error'
                )
                  disagreements.push(line);
              }),
            ),
        ),
      );
      expect(disagreements).toEqual([]);
      expect(results).toHaveLength(4 * 3 * PORTS.length);
      // the shop's whitelist, seen in packets
      expect(results).toEqual(
        expect.arrayContaining([
          'web -> app 8080/tcp: verdict allow, packet reached',
          'app -> db 5432/tcp: verdict allow, packet reached',
          'web -> db 5432/tcp: verdict deny, packet blocked',
          'outside -> web 443/tcp: verdict allow, packet reached',
          'outside -> db 22/tcp: verdict deny, packet blocked',
        ]),
      );
    },
    180_000,
  );

  it('answers each token its own instance, follows `syd net` edits of the policy, and refuses others', async () => {
    const db0 = vms.find((v) => v.tier === 'db')!;
    const mine = await pull(tokenOf(db0));
    const theirs = await pull(tokenOf(otherVms.find((v) => v.tier === 'db')!));
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.text).toContain(`comment "${prefixOf(other)}-db:deny-all"`);
    expect(theirs.text).not.toContain(`comment "${prefixOf(split)}-`);
    expect(mine.text).not.toBe(theirs.text);

    for (const bad of ['', 'Bearer sydg_nope', `Bearer ${ADMIN}`, `Bearer ${tokenOf(db0)}x`]) {
      const res = await admin.as(undefined).get('/api/v1/guest/ruleset', bad ? { authorization: bad } : {});
      expect({ bad, status: res.status }).toEqual({ bad, status: 401 });
    }

    // a rule added with syd net to the db tier's policy reaches the db VM's next pull
    const policy = `${prefixOf(split)}-db`;
    const added = await runSyd(
      [
        'net',
        'policy',
        'rule-add',
        policy,
        'no-web',
        '-p',
        '50',
        '-d',
        'in',
        '-g',
        `${prefixOf(split)}-web`,
        '-l',
        'tcp',
        '-P',
        '5432',
        '-j',
        'deny',
      ],
      { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: ADMIN },
    );
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    const etag = mine.headers.get('etag')!;
    const next = await pull(tokenOf(db0), etag);
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(etag);
    expect(next.text).toContain(`comment "${policy}:no-web"`);
    // the other deployment's guests see no change
    const otherDb = otherVms.find((v) => v.tier === 'db')!;
    expect((await pull(tokenOf(otherDb), theirs.headers.get('etag')!)).status).toBe(304);
  });

  withNetns.it(
    'runs the pull script from the cloud-init: loads the ruleset, answers 304s, loads an edit of the policy',
    async () => {
      const vm = vms.find((v) => v.tier === 'db')!;
      if (!labStarted) {
        await lab.start();
        labStarted = true;
      }
      // a namespace that reaches the API through a veth and a relay the test runs on its own address
      const ns = await lab.bare();
      const octet = 20 + (process.pid % 200);
      const [here, there] = [`169.254.${octet}.1`, `169.254.${octet}.2`];
      await lab.uplink(ns, here, there);
      const apiPort = Number(new URL(api.url).port);
      let calls = 0;
      const relay = createServer((socket) => {
        calls++;
        const upstream = connect(apiPort, '127.0.0.1');
        // either side going away ends both (curl gives up after --max-time)
        for (const [a, b] of [
          [socket, upstream],
          [upstream, socket],
        ] as const)
          a.on('error', () => b.destroy()).pipe(b);
      });
      await new Promise<void>((ok) => relay.listen(0, here, ok));
      const url = `http://${here}:${(relay.address() as AddressInfo).port}/api/v1/guest/ruleset`;
      // the files as cloud-init writes them (the URL pointed at the relay), the script as the cloud holds it
      const dir = mkdtempSync(join(tmpdir(), 'syd-pull-'));
      const files = vm.files;
      writeFileSync(join(dir, 'nftables.nft'), files['/etc/switchyard/nftables.nft']!);
      writeFileSync(join(dir, 'nftables.etag'), files['/etc/switchyard/nftables.etag']!);
      writeFileSync(join(dir, 'policy-auth'), files['/etc/switchyard/policy-auth']!, { mode: 0o600 });
      writeFileSync(join(dir, 'policy-url'), `${url}\n`);
      writeFileSync(join(dir, 'pull.sh'), files['/usr/local/sbin/switchyard-policy-pull']!);
      const script = spawn(
        'ip',
        [
          'netns',
          'exec',
          ns,
          'env',
          `SWITCHYARD_POLICY_DIR=${dir}`,
          'SWITCHYARD_POLICY_INTERVAL=1',
          'sh',
          join(dir, 'pull.sh'),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
      );
      let stderr = '';
      script.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const table = async () =>
        (
          await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'inet', 'switchyard_default']).catch(
            (e: { stderr: string }) => ({ stdout: `(none: ${e.stderr})` }),
          )
        ).stdout;
      try {
        const policy = `${prefixOf(split)}-db`;
        // the boot's load: the ruleset from the cloud-init is in force
        await eventually(
          async () => (await table()).includes(`comment "${policy}:deny-all"`),
          15_000,
          'the first load',
        );
        // the first pulls bring it up to date (the test before edited this tier's policy) …
        const etagNow = `${(await pull(tokenOf(vm))).headers.get('etag')}\n`;
        const etagFile = join(dir, 'nftables.etag');
        await eventually(
          async () => readFileSync(etagFile, 'utf8') === etagNow,
          15_000,
          'an up-to-date ruleset',
        );
        const booted = readFileSync(etagFile, 'utf8');
        // … then, unchanged, pulls answered 304 replace nothing (the file is only replaced on a 200)
        const written = statSync(join(dir, 'nftables.nft')).mtimeMs;
        const seen = calls;
        await eventually(async () => calls >= seen + 3, 15_000, 'three more pulls');
        expect(statSync(join(dir, 'nftables.nft')).mtimeMs).toBe(written);
        // a rule added to the tier's policy reaches the namespace's kernel within a few pulls
        const body = {
          tenantName: 'default',
          policyName: policy,
          ruleId: 'no-ops',
          direction: 'in',
          priority: 60,
          action: 'deny',
          protocol: 'tcp',
          port: 5432,
          fromIpAddress: '10.99.0.0/16',
        };
        expect((await admin.post(`/netmaster/api/v1/rules/default:${policy}:no-ops/`, body)).status).toBe(
          200,
        );
        await eventually(
          async () => (await table()).includes(`comment "${policy}:no-ops"`),
          20_000,
          'the edit',
        );
        // the kernel first, then the file and its ETag (written last) follow
        const current = await pull(tokenOf(vm));
        const etagEdited = `${current.headers.get('etag')}\n`;
        await eventually(async () => readFileSync(etagFile, 'utf8') === etagEdited, 15_000, 'the new ETag');
        const pulled = readFileSync(join(dir, 'nftables.nft'), 'utf8');
        expect(pulled).toBe(current.text);
        expect(readFileSync(join(dir, 'nftables.etag'), 'utf8')).toBe(`${current.headers.get('etag')}\n`);
        expect(readFileSync(join(dir, 'nftables.etag'), 'utf8')).not.toBe(booted);
        expect(stderr).toBe('');
      } finally {
        process.kill(-script.pid!, 'SIGTERM');
        relay.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it("revokes a deployment's guest tokens when it is terminated", async () => {
    await admin.post(`/api/v1/deployments/${split}/actions`, { action: 'terminate' });
    const d = await settle(split, ['terminated', 'failed']);
    expect(d.state).toBe('terminated');
    for (const vm of vms) expect((await pull(tokenOf(vm))).status).toBe(401);
    expect((await pull(tokenOf(otherVms[0]!))).status).toBe(200);
    const { rows } = await db.query(
      `SELECT count(*)::int AS live FROM guest_tokens WHERE deployment_id = $1 AND revoked_at IS NULL`,
      [split],
    );
    expect(rows[0].live).toBe(0);
  }, 400_000);
});
