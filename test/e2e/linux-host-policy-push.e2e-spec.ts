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
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// A policy edited with the netctl-compatible API on a running Linux-host deployment reaches its
// instances without a redeploy: the worker pushes each instance's new ruleset to the host agent.
// Judged with real TCP between the instances' namespaces.
const { describe: withAgent } = gate(hostAgentAvailability());

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const ENV = 'linux-local';
// this file's own address block and VXLAN ids: other stacks on this host may use the seeded ones
const POOL = `10.${150 + (process.pid % 50)}.0.0/16`;
const VXLANS = 200_000 + (process.pid % 10_000) * 1_000;
const PUSHED = 60_000;

const twoTierYaml = (name: string) => `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata: { name: ${name}, version: 1.0.0, title: Two tiers on a Linux host }
tiers:
  app:
    size: { cpu: 1, memoryMiB: 512 }
    image: { os: linux-host, version: root }
    ports: [8080/tcp, 9090/tcp]
  web:
    size: { cpu: 1, memoryMiB: 512 }
    image: { os: linux-host, version: root }
    dependsOn: [app]
connections:
  - { from: web, to: app, ports: [8080/tcp] }
`;

interface InstanceView {
  index: number;
  address: string | null;
  resourceId: string | null;
  state: string;
}
interface TierView {
  tier: string;
  instances: InstanceView[];
}

withAgent('policy changes reach running Linux-host instances (the real host agent)', () => {
  let agent: HostAgent;
  let database: { url: string; drop: () => Promise<void> };
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let contiv: Contiv;
  let env: Record<string, string>;
  let deploymentId: string | undefined;

  const deployment = async (id: string) => (await admin.get(`/api/v1/deployments/${id}`)).body;
  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = await deployment(id);
        return states.includes(d.state) && (d.step === 'done' || d.state === 'failed') ? d : undefined;
      },
      240_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );
  /** Whether a TCP connect from inside `from`'s namespace to `to`:`port` gets through. */
  const tcp = async (from: string, to: string, port: number) => {
    const sender = await packetAgentIn(await namespaceOf(agent.prefix, from), []);
    const receiver = await packetAgentIn(await namespaceOf(agent.prefix, to), [`${port}/tcp`]);
    try {
      return (await sender.agent.probe('tcp', to, port, 2_000)).outcome;
    } finally {
      sender.stop();
      receiver.stop();
    }
  };
  const becomes = (from: string, to: string, port: number, outcome: 'reached' | 'blocked') =>
    eventually(async () => (await tcp(from, to, port)) === outcome, PUSHED, `${to}:${port} ${outcome}`);

  beforeAll(async () => {
    agent = await startHostAgent('p');
    database = await migratedDatabase(testEnv().DATABASE_URL, 'policypush');
    env = await stackEnv({
      DATABASE_URL: database.url,
      SWITCHYARD_DEMO_CLOUDS: `linux-host=${agent.url},linux-host-token-file=${agent.tokenFile}`,
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    contiv = new Contiv(admin);
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
    const global = (await contiv.get('globals', 'global')).body;
    expect(
      (await contiv.create('globals', 'global', { ...global, vxlans: `${VXLANS}-${VXLANS + 999}` })).status,
    ).toBe(200);
  }, 300_000);

  afterAll(async () => {
    if (deploymentId && api) {
      const d = await deployment(deploymentId);
      if (d.state !== 'terminated') {
        await admin.post(`/api/v1/deployments/${deploymentId}/actions`, { action: 'terminate' });
        await settle(deploymentId, ['terminated', 'failed']);
      }
    }
    await worker?.stop();
    await api?.stop();
    await database?.drop();
    const left = agent ? await kernelLeftovers(agent.prefix, agent.stateDir) : [];
    await agent?.stop();
    expect(left).toEqual([]);
  }, 300_000);

  it('closes an open port and opens a closed one, edited over /netmaster, without a redeploy', async () => {
    const name = `push-lh-${RUN}`;
    expect((await admin.post('/api/v1/blueprints', twoTierYaml(name), YAML)).status).toBe(201);
    expect((await admin.post(`/api/v1/blueprints/${name}/versions/1.0.0/publish`)).status).toBe(200);
    const ordered = await admin.post('/api/v1/orders', {
      blueprint: `${name}@latest`,
      name,
      placement: { default: ENV },
    });
    expect(ordered.status).toBe(202);
    const id = (deploymentId = ordered.body.id as string);
    const running = await settle(id, ['running', 'failed']);
    expect({ state: running.state, failure: running.failure }).toEqual({ state: 'running', failure: null });
    const tiers = running.tiers as TierView[];
    const only = (tier: string) => tiers.find((t) => t.tier === tier)!.instances[0]!;
    const web = only('web').address!;
    const app = only('app').address!;
    const instancesBefore = tiers.flatMap((t) => t.instances.map((i) => i.resourceId)).sort();
    expect(await tcp(web, app, 8080)).toBe('reached');
    expect(await tcp(web, app, 9090)).toBe('blocked');

    // the deployment's policy for app, as netctl lists it
    const policies = (await contiv.list('policys')).body as { tenantName: string; policyName: string }[];
    const appPolicy = policies.find((p) => p.policyName.endsWith('-app'))!;
    const webGroup = appPolicy.policyName.replace(/-app$/, '-web');
    const tenant = appPolicy.tenantName;
    const rule = (ruleId: string, action: string, port: number) =>
      contiv.create('rules', `${tenant}:${appPolicy.policyName}:${ruleId}`, {
        tenantName: tenant,
        policyName: appPolicy.policyName,
        ruleId,
        direction: 'in',
        priority: 10,
        action,
        protocol: 'tcp',
        port,
        fromEndpointGroup: webGroup,
      });

    // open → closed: a deny at the allow's priority wins the tie
    expect((await rule('close-8080', 'deny', 8080)).status).toBe(200);
    await becomes(web, app, 8080, 'blocked');
    // closed → open: an allow above the tier's deny-all, made while no worker runs: the change
    // waits in the database for the next worker
    await worker.stop();
    expect((await rule('open-9090', 'allow', 9090)).status).toBe(200);
    expect(await tcp(web, app, 9090)).toBe('blocked');
    worker = await startWorker(env);
    await becomes(web, app, 9090, 'reached');
    // and back: the deny removed, 8080 is open again
    expect((await contiv.remove('rules', `${tenant}:${appPolicy.policyName}:close-8080`)).status).toBe(200);
    await becomes(web, app, 8080, 'reached');

    // no redeploy: the same instances, the deployment still running, and the pushes on record
    const after = await deployment(id);
    expect(after.state).toBe('running');
    expect((after.tiers as TierView[]).flatMap((t) => t.instances.map((i) => i.resourceId)).sort()).toEqual(
      instancesBefore,
    );
    const events = (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as {
      type: string;
      data: { instances?: { tier: string }[] };
    }[];
    const reloaded = events.filter((e) => e.type === 'policy.reloaded');
    expect(reloaded.length).toBeGreaterThanOrEqual(3);
    expect(new Set(reloaded.flatMap((e) => e.data.instances!.map((i) => i.tier)))).toContain('app');
    expect(events.filter((e) => e.type === 'policy.reload-failed')).toEqual([]);

    await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' });
    expect((await settle(id, ['terminated', 'failed'])).state).toBe('terminated');
    expect(await kernelLeftovers(agent.prefix, agent.stateDir)).toEqual([]);
  }, 600_000);
});
