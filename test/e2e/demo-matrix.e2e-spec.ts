import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadDemoCatalog, parseBlueprint } from '@switchyard/blueprints';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { openStackLogin } from '../integration/cloud/support/openstack-api.js';
import {
  openStackAvailability,
  startOpenStack,
  stopOpenStack,
} from '../integration/cloud/support/openstack.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { CloudInspector } from '../support/cloud-inspector.js';
import { Contiv } from '../support/fabric.js';
import {
  hostAgentAvailability,
  kernelLeftovers,
  startHostAgent,
  type HostAgent,
} from '../support/host-agent.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { DEMO_OPENSTACK_FLAVORS, ensureOpenStackFlavors } from '../support/simulated-clouds.js';
import { gate } from '../support/skips.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// Issue 15: every demo blueprint orders, runs and terminates on every demo environment, as
// `npm start` seeds them (SWITCHYARD_DEMO_CLOUDS pointing at the peers): one cell per pair, all
// ordered at once.

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

// the demo environments' names and providers (apps/api/src/seeding/demo-clouds.util.ts)
const ENVIRONMENTS = [
  { name: 'aws-us-east-1', provider: 'aws', openstack: false, linux: false },
  { name: 'vsphere-dc1', provider: 'vsphere', openstack: false, linux: false },
  { name: 'openstack-lab', provider: 'openstack', openstack: true, linux: false },
  // `npm start` as root on Linux: the local host agent (here one of this file's own)
  { name: 'linux-local', provider: 'linux-host', openstack: false, linux: true },
] as const;
const LINUX = hostAgentAvailability();
const withLinux = gate(LINUX);
// this file's own address block and VXLAN ids on the host (other stacks may use the seeded ones)
const LINUX_POOL = `10.${150 + (process.pid % 50)}.0.0/16`;
const VXLANS = 200_000 + (process.pid % 10_000) * 1_000;

/**
 * Why a blueprint cannot plan on an environment, as the environment page's "Which blueprints can
 * plan here?" says it, or undefined when it must plan: a blueprint written for Linux hosts (its
 * image `linux-host root`) nowhere else; the three-tier shop everywhere (on a Linux host its tiers
 * fit the agent's types and run the host's own Node.js and PostgreSQL); on a Linux host, whatever
 * none of the agent's types fits.
 */
function cannotPlan(blueprint: string, linux: boolean): RegExp | undefined {
  if (blueprint === 'node-postgres') return linux ? undefined : /has no image linux-host root/;
  if (blueprint === 'three-tier-shop') return undefined;
  return linux ? /no instance type in linux-local fits/ : undefined;
}

// what someone ordering would type for the parameters that have no default
const REQUIRED_VALUES: Record<string, string> = {
  dbPassword: 'demo-db-secret-1',
  warehousePassword: 'demo-wh-secret-1',
  queuePassword: 'demo-queue-secret-1',
  mungeKey: 'bXVuZ2Uta2V5LWRlbW8tbWF0cml4',
  adminEmail: 'admin@example.com',
};

interface DemoBlueprint {
  name: string;
  required: string[];
}

// the shipped catalog itself, not what the API says it loaded: a blueprint it skipped fails here
const BLUEPRINTS: DemoBlueprint[] = loadDemoCatalog().flatMap(({ file, text }) => {
  const parsed = parseBlueprint(text, 'yaml');
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  const doc = parsed.blueprint as {
    kind: string;
    metadata: { name: string };
    parameters?: Record<string, { required?: boolean; default?: unknown }>;
  };
  if (doc.kind !== 'Blueprint') return [];
  const required = Object.entries(doc.parameters ?? {})
    .filter(([, p]) => p.required && p.default === undefined)
    .map(([key]) => key);
  return [{ name: doc.metadata.name, required }];
});

const OPENSTACK = await openStackAvailability();
const withOpenStack = gate(OPENSTACK);

interface Cell {
  blueprint: DemoBlueprint;
  environment: (typeof ENVIRONMENTS)[number];
  label: string;
}

const CELLS: Cell[] = BLUEPRINTS.flatMap((blueprint) =>
  ENVIRONMENTS.map((environment) => ({
    blueprint,
    environment,
    label: `${blueprint.name} on ${environment.name}`,
  })),
);

interface TierView {
  tier: string;
  count: number;
  instances: { state: string }[];
}

describe('the demo catalog on every demo environment', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let openstack: CloudPeer | null;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let db: pg.Client | undefined;
  let look: CloudInspector | undefined;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let caDir: string | undefined;
  let agent: HostAgent | undefined;
  const runs = new Map<string, Promise<void>>();
  const ordered: string[] = [];

  beforeAll(async () => {
    expect(BLUEPRINTS.map((b) => b.name).sort()).toEqual([
      'etl-pipeline',
      'hpc-cluster',
      'node-postgres',
      'rstudio-workbench',
      'three-tier-shop',
      'wordpress',
    ]);
    [moto, vcsim, openstack] = await Promise.all([
      startMoto(),
      startVcsim(),
      OPENSTACK.available ? startOpenStack() : null,
    ]);
    if (OPENSTACK.available && !openstack) throw new Error('OpenStack was expected here but did not start');
    // an OpenStack lab offers flavors for what its catalog holds (tools/peers/openstack does so)
    if (openstack) await ensureOpenStackFlavors(openstack, DEMO_OPENSTACK_FLAVORS);
    // a database of its own: the demo seeds tenant default's shared environments by their fixed names
    database = await migratedDatabase(testEnv().DATABASE_URL, 'demo');
    caDir = mkdtempSync(join(tmpdir(), 'syd-demo-'));
    writeFileSync(join(caDir, 'vcsim-ca.pem'), vcsim.caCert ?? '');
    const demo = [
      `moto=${moto.endpoint}`,
      `vcsim=${vcsim.endpoint}`,
      `vcsim-ca=${join(caDir, 'vcsim-ca.pem')}`,
      `vcsim-user=${vcsim.login?.username ?? 'switchyard'}`,
      `vcsim-password=${vcsim.login?.password ?? 'vcsim-secret'}`,
    ];
    if (openstack) {
      const login = openStackLogin(openstack.endpoint);
      demo.push(
        `openstack=${login.authUrl}`,
        `openstack-user=${login.username}`,
        `openstack-password=${login.password}`,
        `openstack-project=${login.project}`,
      );
    }
    if (LINUX.available) {
      agent = await startHostAgent('m');
      demo.push(`linux-host=${agent.url}`, `linux-host-token-file=${agent.tokenFile}`);
    }
    const env = await stackEnv({
      DATABASE_URL: database.url,
      WORKER_CONCURRENCY: '4',
      SWITCHYARD_DEMO_CLOUDS: demo.join(','),
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack }, 'us-east-1');
    for (const e of ENVIRONMENTS) if (!e.linux) look.providers.set(e.name, e.provider);
    if (agent) {
      // before any order: this file's own pool and VXLAN ids on the shared host
      await eventually(
        async () => (await admin.get('/api/v1/environments/linux-local')).status === 200,
        120_000,
        'linux-local to be seeded',
      );
      const patched = await admin.patch('/api/v1/environments/linux-local', {
        placement: { addressPool: LINUX_POOL },
      });
      if (patched.status !== 200) throw new Error(`linux-local: ${patched.text}`);
      const contiv = new Contiv(admin);
      const global = (await contiv.get('globals', 'global')).body;
      const ranged = await contiv.create('globals', 'global', {
        ...global,
        vxlans: `${VXLANS}-${VXLANS + 999}`,
      });
      if (ranged.status !== 200) throw new Error(`vxlans: ${ranged.text}`);
    }

    for (const cell of CELLS) {
      if (cell.environment.openstack && !openstack) continue;
      if (cell.environment.linux && !agent) continue;
      const run = lifecycle(cell);
      run.catch(() => undefined); // reported by its `it`, not as an unhandled rejection
      runs.set(cell.label, run);
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.allSettled(runs.values());
    // whatever a failed cell left running goes, so that the shared peers stay clean
    await Promise.allSettled(
      ordered.map(async (id) => {
        const d = await settle(id, ['running', 'stopped', 'failed', 'terminated']);
        if (d.state === 'terminated' || (d.state === 'failed' && d.step === 'done')) return;
        await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' });
        await settle(id, ['terminated', 'failed']);
      }),
    );
    look?.close();
    await worker?.stop();
    await api?.stop();
    await db?.end();
    await database?.drop();
    if (caDir) rmSync(caDir, { recursive: true, force: true });
    await Promise.all([moto?.stop(), vcsim?.stop(), stopOpenStack()]);
    const left = agent ? await kernelLeftovers(agent.prefix, agent.stateDir) : [];
    await agent?.stop();
    expect(left).toEqual([]);
  }, 300_000);

  for (const cell of CELLS) {
    (cell.environment.openstack ? withOpenStack.it : cell.environment.linux ? withLinux.it : it)(
      `${cell.label}: plans, runs every instance, and terminates to nothing`,
      async () => {
        await (runs.get(cell.label) ?? Promise.reject(new Error(`${cell.label} was never started`)));
      },
      600_000,
    );
  }

  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        return states.includes(d.state) && (d.step === 'done' || d.state === 'failed') ? d : undefined;
      },
      480_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );

  async function lifecycle({ blueprint, environment }: Cell): Promise<void> {
    const missing = blueprint.required.filter((key) => !(key in REQUIRED_VALUES));
    expect({ blueprint: blueprint.name, parametersWithoutAValue: missing }).toEqual({
      blueprint: blueprint.name,
      parametersWithoutAValue: [],
    });
    const parameters = Object.fromEntries(blueprint.required.map((key) => [key, REQUIRED_VALUES[key]]));
    const placement = { default: environment.name };

    const refusal = cannotPlan(blueprint.name, environment.linux);
    if (refusal) {
      // the environment's types arrive with its first sync: refused then for the reason the page says
      await eventually(
        async () =>
          (await admin.get(`/api/v1/environments/${environment.name}/catalog`)).body.instanceTypes?.length,
        240_000,
        `${environment.name}'s instance types`,
      );
      const res = await admin.post(`/api/v1/blueprints/${blueprint.name}/versions/latest/plan`, {
        parameters,
        placement,
      });
      expect(res.status).toBe(400);
      const problems = (res.body.details as { message: string }[]).map((d) => d.message);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.filter((m) => !refusal.test(m))).toEqual([]);
      return;
    }
    // the demo seeds its clouds in the background, and a cloud's types arrive with its first sync:
    // the cell starts once its pair plans, as the environment page's "can plan here" says
    let lastProblem = '';
    await eventually(
      async () => {
        const res = await admin.post(`/api/v1/blueprints/${blueprint.name}/versions/latest/plan`, {
          parameters,
          placement,
        });
        lastProblem = res.status === 200 ? '' : `HTTP ${res.status} ${res.text}`;
        return res.status === 200;
      },
      240_000,
      `${blueprint.name} to plan on ${environment.name}`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last answer: ${lastProblem}`);
    });

    const res = await admin.post('/api/v1/orders', {
      blueprint: `${blueprint.name}@latest`,
      name: `${blueprint.name}-${environment.provider}-${RUN}`,
      parameters,
      placement,
    });
    expect({ status: res.status, body: res.status === 202 ? 'accepted' : res.body }).toEqual({
      status: 202,
      body: 'accepted',
    });
    const id = res.body.id as string;
    ordered.push(id);

    const running = await settle(id, ['running', 'failed']);
    expect({ state: running.state, failure: running.failure }).toEqual({ state: 'running', failure: null });
    // every tier has the planned number of instances, each running on this environment's cloud
    const tiers = running.tiers as TierView[];
    expect(tiers.map((t) => `${t.tier}: ${t.instances.map((i) => i.state).join(' ')}`)).toEqual(
      tiers.map((t) => `${t.tier}: ${Array.from({ length: t.count }, () => 'running').join(' ')}`),
    );
    // … and on the cloud: one instance (VM, server, namespace) per planned instance
    const onCloud = environment.linux
      ? await agentInstances(id)
      : (await look!.leftOnClouds(id)).filter((what) =>
          /^(aws instance|vsphere vm|openstack server) /.test(what),
        );
    expect(onCloud).toHaveLength(tiers.reduce((n, t) => n + t.count, 0));

    expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(202);
    const gone = await settle(id, ['terminated', 'failed']);
    expect({ state: gone.state, failure: gone.failure }).toEqual({ state: 'terminated', failure: null });
    expect((gone.tiers as TierView[]).flatMap((t) => t.instances)).toEqual([]);
    expect(environment.linux ? await agentInstances(id) : await look!.leftOnClouds(id)).toEqual([]);
  }

  /** The live instances the host agent holds for a deployment. */
  async function agentInstances(id: string): Promise<string[]> {
    const res = await fetch(
      `${agent!.url}/v1/instances?tag=${encodeURIComponent(`switchyard:deployment=${id}`)}`,
      {
        headers: { authorization: `Bearer ${agent!.token}` },
      },
    );
    return ((await res.json()) as { id: string }[]).map((i) => `linux-host instance ${i.id}`);
  }
});
