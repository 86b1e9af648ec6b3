import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import {
  openStackAvailability,
  startOpenStack,
  stopOpenStack,
} from '../integration/cloud/support/openstack.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { CloudInspector, compactId, type Networks } from '../support/cloud-inspector.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import {
  createOpenStackCloud,
  createSimulatedClouds,
  openStackPriceList,
  type OpenStackCloud,
  type SimulatedClouds,
} from '../support/simulated-clouds.js';
import { gate } from '../support/skips.js';
import { testEnv } from '../support/test-env.js';

// Issue #6: the three-tier shop on each cloud alone, and split across all three, reaches running on
// the fabric's addresses with the compiled whitelist on the clouds; terminate leaves nothing behind.

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const TIERS = ['web', 'app', 'db'] as const;

type Tier = (typeof TIERS)[number];
type Clouds = SimulatedClouds & Partial<OpenStackCloud>;
interface Case {
  label: string;
  openstack: boolean;
  placement: (c: Clouds) => { default: string; tiers?: Partial<Record<Tier, string>> };
}
interface Instance {
  tier: Tier;
  index: number;
  environment: string;
  resourceId: string;
  address: string;
  state: string;
}

// decided before the tests are registered: without OpenStack its cases are skipped, not passed
const OPENSTACK = await openStackAvailability();
const withOpenStack = gate(OPENSTACK);

const CASES: Case[] = [
  { label: 'aws', openstack: false, placement: (c) => ({ default: c.aws }) },
  { label: 'openstack', openstack: true, placement: (c) => ({ default: c.openstack! }) },
  { label: 'vsphere', openstack: false, placement: (c) => ({ default: c.vsphere }) },
  {
    label: 'split',
    openstack: true,
    placement: (c) => ({ default: c.aws, tiers: { app: c.openstack!, db: c.vsphere } }),
  },
];

describe('the three-tier shop on AWS, OpenStack and vSphere alone, and split across all three', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let openstack: CloudPeer | null;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: Clouds;
  let look: CloudInspector;
  const runs = new Map<string, Promise<void>>();
  const ordered: string[] = [];

  beforeAll(async () => {
    [moto, vcsim, openstack] = await Promise.all([
      startMoto(),
      startVcsim(),
      OPENSTACK.available ? startOpenStack() : null,
    ]);
    if (OPENSTACK.available && !openstack) throw new Error('OpenStack was expected here but did not start');
    const env = await stackEnv({ WORKER_CONCURRENCY: '4' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    db = await testDb();
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack });
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
    look.providers.set(clouds.aws, 'aws').set(clouds.vsphere, 'vsphere');
    if (openstack) {
      Object.assign(clouds, await createOpenStackCloud(admin, openstack, RUN));
      look.providers.set(clouds.openstack!, 'openstack');
    }
    // all at once: each case's `it` awaits its own run
    const start = (label: string, run: Promise<void>) => {
      run.catch(() => undefined); // reported by its `it`, not as an unhandled rejection
      runs.set(label, run);
    };
    for (const c of CASES) if (!c.openstack || openstack) start(c.label, lifecycle(c));
    if (openstack) start('openstack-rollback', refusedCreateRollsBack());
  }, 600_000);

  afterAll(async () => {
    // let the runs finish before their processes go; terminate what a failed run left on the clouds
    await Promise.allSettled(runs.values());
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
    await Promise.all([moto?.stop(), vcsim?.stop(), stopOpenStack()]);
  }, 300_000);

  for (const c of CASES) {
    (c.openstack ? withOpenStack.it : it)(
      `${c.label}: runs on the fabric's addresses behind the compiled whitelist, and terminates to nothing`,
      async () => {
        await (runs.get(c.label) ?? Promise.reject(new Error(`${c.label} was never started`)));
      },
      600_000,
    );
  }

  withOpenStack.it(
    'openstack: a server Nova refuses fails the step with Nova’s error and rolls back to nothing',
    async () => {
      await (runs.get('openstack-rollback') ?? Promise.reject(new Error('the rollback was never started')));
    },
    600_000,
  );

  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        // failed is where it stays, whichever step failed (a rollback too)
        return states.includes(d.state) && (d.step === 'done' || d.state === 'failed') ? d : undefined;
      },
      240_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );

  const order = async (name: string, parameters: object, placement: object): Promise<string> => {
    const res = await admin.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `${name}-${RUN}`,
      parameters: { dbPassword: 'hunter2-secret', ...parameters },
      placement,
    });
    expect(res.status).toBe(202);
    ordered.push(res.body.id);
    return res.body.id as string;
  };

  async function lifecycle(c: Case): Promise<void> {
    const placement = c.placement(clouds);
    const envOf = (tier: Tier) => placement.tiers?.[tier] ?? placement.default;
    const id = await order(`shop-${c.label}`, {}, placement);
    const prefix = `d-${compactId(id)}`;

    const d = await settle(id, ['running', 'failed']);
    expect({ state: d.state, failure: d.failure }).toEqual({ state: 'running', failure: null });
    const networks = d.networks as Networks;
    const instances: Instance[] = d.tiers.flatMap((t: { tier: Tier; instances: Instance[] }) =>
      t.instances.map((i) => ({ ...i, tier: t.tier })),
    );
    expect(instances.map((i) => `${i.tier}/${i.index}@${i.environment}:${i.state}`).sort()).toEqual(
      [`app/0@${envOf('app')}`, `app/1@${envOf('app')}`, `db/0@${envOf('db')}`, `web/0@${envOf('web')}`]
        .map((s) => `${s}:running`)
        .sort(),
    );
    const addressOf = (tier: Tier) => instances.find((i) => i.tier === tier && i.index === 0)!.address;
    expect(d.outputs.url).toBe(`https://${addressOf('web')}/`);

    // addresses: each the fabric's endpoint for that instance, inside its environment's network …
    expect(await look.fabricAddresses(id)).toEqual(
      Object.fromEntries(instances.map((i) => [`sy-${compactId(id)}-${i.tier}-${i.index}`, i.address])),
    );
    for (const i of instances) {
      expect(i.address.startsWith(networks[i.environment]!.subnet.replace(/0\/24$/, ''))).toBe(true);
    }
    // … and what each cloud reports for the deployment's instances, of the planned type
    const typeOf = (tier: Tier) => d.tiers.find((t: { tier: Tier }) => t.tier === tier).instanceType;
    for (const environment of new Set(instances.map((i) => i.environment))) {
      const onCloud = await look.instances(environment, id);
      expect(onCloud.map((x) => `${x.id} ${x.privateIp} ${x.instanceType}`).sort()).toEqual(
        instances
          .filter((i) => i.environment === environment)
          .map((i) => `${i.resourceId} ${i.address} ${typeOf(i.tier)}`)
          .sort(),
      );
    }

    // security groups: on AWS and OpenStack each tier's group holds exactly the compiled whitelist
    const subnetOf = (tier: Tier) => networks[envOf(tier)]!.subnet;
    const whitelist: Record<Tier, string[]> = {
      web: ['tcp/443<-0.0.0.0/0', 'tcp/80<-0.0.0.0/0'],
      app: ['tcp/22<-10.0.0.0/8', `tcp/8080<-${subnetOf('web')}`],
      db: ['tcp/22<-10.0.0.0/8', `tcp/5432<-${subnetOf('app')}`],
    };
    for (const tier of TIERS) {
      const environment = envOf(tier);
      if (look.providerOf(environment) === 'vsphere') continue;
      expect(await look.compiledWhitelist(id, tier, networks)).toEqual(whitelist[tier]);
      expect(await look.ingress(environment, `${prefix}-${tier}`)).toEqual(whitelist[tier]);
    }
    // every rule is enforced: by the security group where the cloud has one that holds it (the
    // deny-all is what its default deny does) and by nftables in the guest; on vSphere (no filter
    // at all) in the guest only, each tier's record naming why
    const { body: events } = await admin.get(`/api/v1/deployments/${id}/events`);
    expect(events.items.filter((e: { type: string }) => e.type === 'policy.unsupported')).toEqual([]);
    for (const t of d.tiers as {
      tier: Tier;
      enforcement: {
        cloud: string;
        rules: { ruleId: string; mechanisms: string[]; securityGroupGap?: string }[];
      };
    }[]) {
      const vsphere = look.providerOf(envOf(t.tier)) === 'vsphere';
      expect(t.enforcement.rules.map((r) => r.ruleId)).toContain('deny-all');
      for (const r of t.enforcement.rules) {
        expect(r.mechanisms).toEqual(vsphere ? ['nftables'] : ['security-group', 'nftables']);
        if (vsphere) expect(r.securityGroupGap).toContain('a vSphere port group filters no traffic');
      }
    }

    // on OpenStack: the group sits on the server's port, which holds the fabric's address; Nova got
    // the cloud-init with the instance's own address and those of the tiers it needs
    const needs: Record<Tier, string> = {
      db: 'PGUSER=',
      app: `PGHOST='${addressOf('db')}'`,
      web: `UPSTREAM_HOST='${addressOf('app')}'`,
    };
    const onOpenStack = instances.filter((i) => look.providerOf(i.environment) === 'openstack');
    const groups = onOpenStack.length ? await look.securityGroups() : [];
    for (const i of onOpenStack) {
      expect(
        (await look.ports(i.resourceId)).map((p) => ({
          ips: p.fixed_ips.map((f) => f.ip_address),
          groups: p.security_groups.map((g) => groups.find((x) => x.id === g)?.name ?? g),
        })),
      ).toEqual([{ ips: [i.address], groups: [`${prefix}-${i.tier}`] }]);
      const userData = await look.userData(i.resourceId);
      expect(userData).toMatch(/^#cloud-config\n/);
      expect(userData).toContain(`SWITCHYARD_ADDRESS=${i.address}\n`);
      expect(userData).toContain(needs[i.tier]);
    }

    // the network step's network and groups on the clouds that have them, the port group on vSphere …
    const made = Object.entries(networks).flatMap(([environment, network]) => {
      const provider = look.providerOf(environment);
      if (provider === 'vsphere') return [`vsphere portgroup ${network.fabricNetwork}`];
      const net = provider === 'aws' ? `subnet ${network.subnet}` : `network ${network.fabricNetwork}`;
      const tierGroups = TIERS.filter((t) => envOf(t) === environment).map((t) => `group ${prefix}-${t}`);
      return [net, ...tierGroups].map((what) => `${provider} ${what}`);
    });
    expect(await look.networkObjects(id, networks)).toEqual(made.sort());

    // terminate: nothing of the deployment left on any cloud, nor in the fabric
    expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(202);
    const gone = await settle(id, ['terminated', 'failed']);
    expect({ state: gone.state, failure: gone.failure }).toEqual({ state: 'terminated', failure: null });
    for (const environment of new Set(instances.map((i) => i.environment))) {
      expect(await look.instances(environment, id)).toEqual([]);
    }
    expect(await look.fabricLeft(id)).toEqual([]);
    // … neither networks and groups (they would pile up against the clouds' quotas) nor ports
    expect(await look.networkObjects(id, networks)).toEqual([]);
    // … nor anything else of it, read on every cloud without knowing what was made
    expect(await look.leftOnClouds(id)).toEqual([]);
    if (onOpenStack.length) {
      const ports = await look.ports();
      expect(ports.filter((p) => p.name.includes(compactId(id))).map((p) => p.name)).toEqual([]);
    }
  }

  async function refusedCreateRollsBack(): Promise<void> {
    // an image Glance does not have: Nova refuses the web server after its port was made, while db
    // and app already run on vSphere (few servers on OpenStack: its project allows 10, 20 cores)
    const broken = `e2e-os-broken-${RUN}`;
    const env = await admin.post('/api/v1/environments', {
      name: broken,
      account: clouds.openstackAccountId,
      region: 'RegionOne',
      placement: { addressPool: '10.77.0.0/16' },
      images: [{ os: 'ubuntu', version: '22.04', imageId: '00000000-0000-4000-8000-00000000dead' }],
      priceList: openStackPriceList(),
    });
    expect(env.status).toBe(201);
    look.providers.set(broken, 'openstack');
    const id = await order(
      'shop-broken',
      { appCount: 1 },
      { default: clouds.vsphere, tiers: { web: broken } },
    );

    const d = await settle(id, ['failed', 'running']);
    expect(d.failure).toMatchObject({
      step: 'provision',
      tier: 'web',
      environment: broken,
      provider: 'openstack',
    });
    expect(d.failure.message).toMatch(/image/);
    const events = (await admin.get(`/api/v1/deployments/${id}/events`)).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'instance.terminated')).toHaveLength(3);
    // the servers, the port the refused create left with its group, the networks: all gone
    const networks = d.networks as Networks;
    expect(Object.keys(networks).sort()).toEqual([clouds.vsphere, broken].sort());
    expect(await look.instances(clouds.vsphere, id)).toEqual([]);
    expect(await look.instances(broken, id)).toEqual([]);
    const ports = await look.ports();
    expect(ports.filter((p) => p.name.includes(compactId(id))).map((p) => p.name)).toEqual([]);
    expect(await look.networkObjects(id, networks)).toEqual([]);
    expect(await look.leftOnClouds(id)).toEqual([]);
    expect(await look.fabricLeft(id)).toEqual([]);
  }
});
