import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Contiv } from '../support/fabric.js';
import { YAML } from '../support/blueprint-fixtures.js';
import {
  hostAgentAvailability,
  kernelLeftovers,
  namespaceOf,
  packetAgentIn,
  startHostAgent,
  type HostAgent,
} from '../support/host-agent.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { gate } from '../support/skips.js';
import { runSyd } from '../support/syd.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// Deployments on the Linux-host provider, end to end: the API and worker as processes, the real
// host agent as a child process (its own name prefix), seeded as `npm start` seeds "Linux (local)".
// Reachability is tried with real TCP from inside the instances' namespaces.
const { describe: withAgent } = gate(hostAgentAvailability());

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const ENV = 'linux-local';
// this file's own address block and VXLAN ids: other stacks on this host may use the seeded ones
const POOL = `10.${200 + (process.pid % 50)}.0.0/16`;
const VXLANS = 100_000 + (process.pid % 10_000) * 1_000;

// provisioning that fails part way: db runs, then app asks for a package the host cannot have
const failingYaml = (name: string) => `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata: { name: ${name}, version: 1.0.0, title: Fails at its second tier }
tiers:
  db:
    size: { cpu: 1, memoryMiB: 512 }
    image: { os: linux-host, version: root }
    ports: [5432/tcp]
  app:
    size: { cpu: 1, memoryMiB: 512 }
    image: { os: linux-host, version: root }
    dependsOn: [db]
    init: { packages: [switchyard-no-such-package] }
connections:
  - { from: app, to: db, ports: [5432/tcp] }
`;

interface InstanceView {
  index: number;
  address: string | null;
  resourceId: string | null;
  state: string;
}
interface TierView {
  tier: string;
  count: number;
  instanceType: string;
  instances: InstanceView[];
}

const run = promisify(execFile);
// one GET from inside a namespace, by Node's fetch; status 0 when nothing answered
const FETCH =
  'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })' +
  '.then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })))' +
  '.catch(() => console.log(JSON.stringify({ status: 0, body: "" })))';

// the same over HTTPS, trusting only the certificate the front end made for itself (argv[2], PEM):
// verified as the chain's root; its name is the instance's address, which it carries as a CN only
// (no IP SAN), so the identity check is that the server presents exactly that certificate
const HTTPS_GET =
  "const pem = require('node:fs').readFileSync(process.argv[2], 'utf8');" +
  "const pinned = new (require('node:crypto').X509Certificate)(pem).fingerprint256;" +
  "require('node:https').get(process.argv[1], { ca: pem, timeout: 3000," +
  " checkServerIdentity: (_h, c) => (c.fingerprint256 === pinned ? undefined : new Error('not the certificate')) }, (r) => {" +
  " let body = ''; r.on('data', (c) => (body += c));" +
  " r.on('end', () => console.log(JSON.stringify({ status: r.statusCode, body }))); })" +
  ".on('error', () => console.log(JSON.stringify({ status: 0, body: '' })))";

async function httpGet(
  ns: string,
  url: string,
  certFile?: string,
): Promise<{ status: number; body: string }> {
  const args = url.startsWith('https:') ? ['-e', HTTPS_GET, url, certFile ?? ''] : ['-e', FETCH, url];
  const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, ...args]);
  return JSON.parse(stdout) as { status: number; body: string };
}

/** What the shop answers: its app server's catalog, read from its database. */
interface ShopAnswer {
  shop: string;
  server: string;
  products: { name: string; price: string }[];
}

withAgent('deployments on the Linux-host provider (the real host agent)', () => {
  let agent: HostAgent;
  let database: { url: string; drop: () => Promise<void> };
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  const ordered: string[] = [];

  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        return states.includes(d.state) && (d.step === 'done' || d.state === 'failed') ? d : undefined;
      },
      240_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );
  const tiersOf = async (id: string) =>
    (await admin.get(`/api/v1/deployments/${id}`)).body.tiers as TierView[];
  const addresses = (tiers: TierView[], tier: string) =>
    tiers.find((t) => t.tier === tier)!.instances.map((i) => i.address!);
  const act = async (id: string, body: object) => {
    const res = await admin.post(`/api/v1/deployments/${id}/actions`, body);
    expect({ status: res.status, body: res.status === 202 ? 'accepted' : res.body }).toEqual({
      status: 202,
      body: 'accepted',
    });
  };
  const push = async (yaml: string, name: string) => {
    expect((await admin.post('/api/v1/blueprints', yaml, YAML)).status).toBe(201);
    expect((await admin.post(`/api/v1/blueprints/${name}/versions/1.0.0/publish`)).status).toBe(200);
  };
  const order = async (blueprint: string, parameters: object = {}) => {
    const res = await admin.post('/api/v1/orders', {
      blueprint: `${blueprint}@latest`,
      name: `${blueprint}-${RUN}`.slice(0, 60),
      parameters,
      placement: { default: ENV },
    });
    expect({ status: res.status, body: res.status === 202 ? 'accepted' : res.body }).toEqual({
      status: 202,
      body: 'accepted',
    });
    ordered.push(res.body.id as string);
    return res.body.id as string;
  };
  /** What the agent's console says of a deployment's instances (for a failure's message). */
  const consoles = async (tiers: TierView[]) => {
    const lines = await Promise.all(
      tiers.flatMap((t) =>
        t.instances.map(async (i) => {
          const res = await fetch(`${agent.url}/v1/instances/${i.resourceId}/console`, {
            headers: { authorization: `Bearer ${agent.token}` },
          });
          return `--- ${t.tier} ${i.index} (${i.resourceId}):\n${(await res.text()).slice(-2000)}`;
        }),
      ),
    );
    return lines.join('\n');
  };
  /** Whether a TCP connect from inside `from`'s namespace to the server on `to`:`port` gets through. */
  const tcp = async (from: string, to: string, port: number) => {
    const sender = await packetAgentIn(await namespaceOf(agent.prefix, from), []);
    try {
      return (await sender.agent.probe('tcp', to, port, 2_000)).outcome;
    } finally {
      sender.stop();
    }
  };
  /** The shop's answer at `url`, asked from inside `client`'s namespace, once it gives one. */
  // where the agent keeps the web instance's writes: its front end's self-made certificate
  const frontEndCert = (tiers: TierView[]) => {
    const id = tiers.find((t) => t.tier === 'web')!.instances[0]!.resourceId!;
    return join(agent.stateDir, 'runtime', id, 'upper/var/tmp/shop-web/cert.pem');
  };
  const shopAnswer = (client: string, url: string, tiers: TierView[]) =>
    eventually(
      async () => {
        const res = await httpGet(client, url, frontEndCert(tiers));
        return res.status === 200 ? (JSON.parse(res.body) as ShopAnswer) : undefined;
      },
      120_000,
      `the shop to answer at ${url}`,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await consoles(tiers)}`);
    });

  beforeAll(async () => {
    agent = await startHostAgent('e');
    database = await migratedDatabase(testEnv().DATABASE_URL, 'linuxhost');
    const env = await stackEnv({
      DATABASE_URL: database.url,
      SWITCHYARD_DEMO_CLOUDS: `linux-host=${agent.url},linux-host-token-file=${agent.tokenFile}`,
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    // the seeding and the first inventory sync run in the background
    await eventually(
      async () => {
        const c = await admin.get(`/api/v1/environments/${ENV}/catalog`);
        return c.status === 200 && c.body.instanceTypes.length > 0;
      },
      120_000,
      `${ENV} seeded with the agent's instance types`,
    );
    const patched = await admin.patch(`/api/v1/environments/${ENV}`, { placement: { addressPool: POOL } });
    expect(patched.status).toBe(200);
    const contiv = new Contiv(admin);
    const global = (await contiv.get('globals', 'global')).body;
    const ranged = await contiv.create('globals', 'global', {
      ...global,
      vxlans: `${VXLANS}-${VXLANS + 999}`,
    });
    expect(ranged.status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    // whatever a failed test left running goes through Switchyard first
    await Promise.allSettled(
      ordered.map(async (id) => {
        const d = await settle(id, ['running', 'stopped', 'failed', 'terminated']);
        if (d.state === 'terminated' || (d.state === 'failed' && d.step === 'done')) return;
        await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' });
        await settle(id, ['terminated', 'failed']);
      }),
    );
    await worker?.stop();
    await api?.stop();
    await database?.drop();
    const left = agent ? await kernelLeftovers(agent.prefix, agent.stateDir) : [];
    await agent?.stop();
    expect(left).toEqual([]);
  }, 120_000);

  it('seeds Linux (local) with the agent’s types, priced by vCPU-hours and GiB-hours', async () => {
    const catalog = (await admin.get(`/api/v1/environments/${ENV}/catalog`)).body;
    expect(catalog.provider).toBe('linux-host');
    // the demo card: 0.0080 a vCPU-hour, 0.0020 a GiB-hour
    const quarter = catalog.instanceTypes.find((t: { name: string }) => t.name === 'lh.quarter');
    expect(quarter).toMatchObject({ cpu: 0.25, memoryMiB: 256, hourlyPrice: '0.0025' });
    const account = (await admin.get('/api/v1/cloud-accounts?provider=linux-host')).body.items[0];
    expect(account).toMatchObject({ name: 'Linux (local)', maskedCredentials: { token: '********' } });
    expect(JSON.stringify(account)).not.toContain(agent.token);
  });

  it('runs the demo three-tier shop as the README orders it: web reaches app, app reaches db, web cannot reach db', async () => {
    // the README's first order on this machine, word for word
    const syd = await runSyd(
      ['order', 'create', 'three-tier-shop', '-p', 'dbPassword=s3cret', '--env', ENV, '--wait'],
      { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: ADMIN },
    );
    const [id = '', state] = (syd.stdout.split('\n')[0] ?? '').split(' ');
    if (/^[0-9a-f-]{36}$/.test(id)) ordered.push(id);
    const said = syd.code === 0 ? '' : `${syd.stderr}${syd.stdout}`;
    expect({ code: syd.code, state, said }).toEqual({ code: 0, state: 'running', said: '' });
    try {
      await shopLifecycle(id);
    } finally {
      // a failed step leaves nothing running for the next test
      const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
      if (d.state !== 'terminated') {
        await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' });
        await settle(id, ['terminated', 'failed']);
      }
    }
  }, 900_000);

  async function shopLifecycle(id: string): Promise<void> {
    const running = await settle(id, ['running', 'failed']);
    expect({ state: running.state, failure: running.failure }).toEqual({ state: 'running', failure: null });
    let tiers = running.tiers as TierView[];
    expect(
      tiers.map((t) => `${t.tier}: ${t.instanceType} ${t.instances.map((i) => i.state).join(' ')}`).sort(),
    ).toEqual(['app: lh.2 running running', 'db: lh.2 running', 'web: lh.1 running']);
    const [web] = addresses(tiers, 'web');
    const [app, app2] = addresses(tiers, 'app');
    const [db] = addresses(tiers, 'db');
    expect(running.outputs.url).toBe(`https://${web}/`);
    // a customer's request (from another instance of the network: the agent's host guard keeps the
    // host out) through the front end to the first app server, which read the catalog from the db
    const client = await namespaceOf(agent.prefix, app2!);
    for (const url of [`http://${web}/`, `https://${web}/`]) {
      expect(await shopAnswer(client, url, tiers)).toEqual({
        shop: '3.4.1',
        server: app,
        products: [
          { name: 'Teapot', price: '24.00' },
          { name: 'Cup', price: '6.50' },
          { name: 'Kettle', price: '39.90' },
        ],
      });
    }
    // the tiers' own servers, port by port, as the fabric's rulesets in their namespaces allow
    expect(await tcp(web!, app!, 8080)).toBe('reached');
    expect(await tcp(app!, db!, 5432)).toBe('reached');
    expect(await tcp(app2!, db!, 5432)).toBe('reached');
    expect(await tcp(web!, db!, 5432)).toBe('blocked');
    expect(await tcp(db!, app!, 8080)).toBe('blocked');

    // scale: a third app server, serving and reachable from web like the first
    await act(id, { action: 'scale', tier: 'app', count: 3 });
    await settle(id, ['running']);
    tiers = await tiersOf(id);
    const apps = addresses(tiers, 'app');
    expect(apps).toHaveLength(3);
    await eventually(async () => (await tcp(web!, apps[2]!, 8080)) === 'reached', 60_000, 'app 3 to serve');
    expect(await tcp(web!, db!, 5432)).toBe('blocked');

    // stop and start: the instances' processes stop, and their boot serves the shop again
    await act(id, { action: 'stop' });
    const stopped = await settle(id, ['stopped']);
    expect((stopped.tiers as TierView[]).flatMap((t) => t.instances.map((i) => i.state))).toEqual(
      Array.from({ length: 5 }, () => 'stopped'),
    );
    await act(id, { action: 'start' });
    await settle(id, ['running']);
    expect((await shopAnswer(client, `http://${web}/`, tiers)).products).toHaveLength(3);
    expect(await tcp(web!, db!, 5432)).toBe('blocked');

    await act(id, { action: 'terminate' });
    const gone = await settle(id, ['terminated', 'failed']);
    expect({ state: gone.state, failure: gone.failure }).toEqual({ state: 'terminated', failure: null });
    // no namespace, link, nftables table, cgroup or mount of it is left
    expect(await kernelLeftovers(agent.prefix, agent.stateDir)).toEqual([]);
  }

  it('serves node-postgres: an HTTP request answered with a row of its database', async () => {
    const id = await order('node-postgres', {
      dbPassword: 'lh-demo-secret-1',
      greeting: 'Hello from the host',
    });
    const running = await settle(id, ['running', 'failed']);
    expect({ state: running.state, failure: running.failure }).toEqual({ state: 'running', failure: null });
    const url = running.outputs.url as string;
    expect(url).toMatch(/^http:\/\/10\.\d+\.\d+\.\d+:8080\/$/);
    // the agent keeps the host and its instances apart (its host guard): the request comes from
    // another instance of the network, the db tier's, over the fabric like any client's
    const db = addresses(running.tiers as TierView[], 'db')[0]!;
    const client = await namespaceOf(agent.prefix, db);
    // the tiers' boot (initdb, the server) runs after the instance is up
    const answer = await eventually(
      async () => {
        const res = await httpGet(client, url);
        return res.status === 200 ? (JSON.parse(res.body) as Record<string, string>) : undefined;
      },
      120_000,
      `node-postgres to answer at ${url}`,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await consoles(running.tiers as TierView[])}`);
    });
    expect(answer).toMatchObject({ greeting: 'Hello from the host', database: db });
    await act(id, { action: 'terminate' });
    expect((await settle(id, ['terminated', 'failed'])).state).toBe('terminated');
    expect(await kernelLeftovers(agent.prefix, agent.stateDir)).toEqual([]);
  }, 600_000);

  it('rolls back a deployment whose provisioning fails part way, leaving nothing in the kernel', async () => {
    const name = `fails-lh-${RUN}`;
    await push(failingYaml(name), name);
    const id = await order(name);
    const failed = await settle(id, ['failed']);
    expect(failed.failure).toMatchObject({ step: 'provision', tier: 'app' });
    expect(JSON.stringify(failed.failure)).toContain('switchyard-no-such-package');
    // the db instance ran before app failed: the rollback took it, its network and its cgroup
    const events = (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as {
      type: string;
    }[];
    expect(events.map((e) => e.type)).toContain('instance.running');
    expect((failed.tiers as TierView[]).flatMap((t) => t.instances)).toEqual([]);
    expect(await kernelLeftovers(agent.prefix, agent.stateDir)).toEqual([]);
  }, 600_000);
});
