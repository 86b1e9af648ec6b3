import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  DEMO_VALUES,
  ENVIRONMENTS,
  pricedYaml,
  simpleYaml,
  tenantWithTokens,
  YAML,
} from '../support/blueprint-fixtures.js';
import { testDb } from '../support/db.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const DEMO = [
  'etl-pipeline',
  'hpc-cluster',
  'mysql',
  'nginx',
  'node-postgres',
  'postgres',
  'redis',
  'rstudio-workbench',
  'three-tier-shop',
  'wordpress',
];

// a what-if Linux host: the one kind of environment with the image `linux-host root`
const LINUX_LOCAL = {
  name: 'linux-local',
  provider: 'linux-host',
  currency: 'USD',
  storageGiBMonthPrice: '0.02',
  images: [{ os: 'linux-host', version: 'root', imageId: 'host-root' }],
  instanceTypes: [{ name: 'lh.1', cpu: 1, memoryMiB: 1024, hourlyPrice: '0.01' }],
};

describe('blueprint catalog API', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let db: pg.Client;
  let a: { operator: Client; member: Client };
  let b: { operator: Client; member: Client };
  let tenantA: string;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    tenantA = `bp-a-${run}`;
    a = await tenantWithTokens(admin, tenantA);
    b = await tenantWithTokens(admin, `bp-b-${run}`);
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  it('loads the demo catalog into tenant default, readable by every tenant, and each demo plans', async () => {
    const list = await a.member.get('/api/v1/blueprints?limit=500');
    expect(list.status).toBe(200);
    // other test files may push blueprints into tenant default meanwhile (shared as well): the
    // demo catalog is all there, each blueprint once, and shared
    const demo = list.body.items.filter((i: { name: string }) => DEMO.includes(i.name));
    expect(demo.map((i: { name: string }) => i.name).sort()).toEqual(DEMO);
    expect(demo.every((i: { shared: boolean }) => i.shared)).toBe(true);
    expect(demo.every((i: { latestVersion: string | null }) => i.latestVersion !== null)).toBe(true);
    for (const item of demo.filter((i: { kind: string }) => i.kind === 'Blueprint')) {
      const source = await a.member.get(`/api/v1/blueprints/${item.name}/versions/latest`);
      const declared = Object.keys(source.body.parameters ?? {});
      // node-postgres runs from a Linux host's own software: it plans there, and only there
      const hostOnly = (item.tags as string[]).includes('linux-host');
      const res = await a.member.post(`/api/v1/blueprints/${item.name}/versions/latest/plan`, {
        parameters: Object.fromEntries(Object.entries(DEMO_VALUES).filter(([k]) => declared.includes(k))),
        placement: { default: hostOnly ? 'linux-local' : 'openstack-lab' },
        environments: [...ENVIRONMENTS, LINUX_LOCAL],
      });
      expect({ name: item.name, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({
        name: item.name,
        status: 200,
        body: 'ok',
      });
      for (const secret of Object.values(DEMO_VALUES).filter((v) => v.includes('secret'))) {
        expect(res.text).not.toContain(secret);
      }
    }
  });

  it('pushes YAML as a draft (201 + Location), updates the draft (200), audits each change', async () => {
    const name = `shop-${run}`;
    const first = await a.operator.post('/api/v1/blueprints', simpleYaml(name, '1.0.0'), YAML);
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/api/v1/blueprints/${name}/versions/1.0.0`);
    expect(first.body).toMatchObject({ name, version: '1.0.0', state: 'draft', kind: 'Blueprint' });
    const same = await a.operator.post('/api/v1/blueprints', simpleYaml(name, '1.0.0'), YAML);
    expect(same.status).toBe(200);
    const changed = simpleYaml(name, '1.0.0', { title: 'Changed title' });
    const updated = await a.operator.post('/api/v1/blueprints', changed, YAML);
    expect(updated.status).toBe(200);
    expect(updated.body.sha256).toBe(createHash('sha256').update(changed).digest('hex'));
    const text = await a.member.get(`/api/v1/blueprints/${name}/versions/1.0.0`, {
      accept: 'application/yaml',
    });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(text.text).toBe(changed);
    expect((await a.member.get(`/api/v1/blueprints/${name}`)).body.title).toBe('Changed title');
    const { rows } = await db.query(
      `SELECT action FROM audit_log WHERE resource_type = 'blueprint-version' AND resource_id = $1 ORDER BY id`,
      [`${name}@1.0.0`],
    );
    expect(rows.map((r) => r.action)).toEqual(['blueprint.push', 'blueprint.update-draft']);
  });

  it('pushes JSON and answers YAML or JSON by Accept', async () => {
    const name = `json-${run}`;
    const doc = {
      apiVersion: 'switchyard.dev/v1',
      kind: 'Blueprint',
      metadata: { name, version: '0.1.0', title: 'From JSON' },
      tiers: { web: { size: { cpu: 1, memoryMiB: 1024 }, image: { os: 'ubuntu', version: '22.04' } } },
    };
    const json = JSON.stringify(doc, null, 2);
    const pushed = await a.operator.post('/api/v1/blueprints', json);
    expect(pushed.status).toBe(201);
    expect(pushed.body.contentType).toBe('json');
    const asJson = await a.member.get(`/api/v1/blueprints/${name}/versions/0.1.0`);
    expect(asJson.headers.get('content-type')).toMatch(/^application\/json/);
    expect(asJson.text).toBe(json);
    expect(asJson.headers.get('etag')).toBe(`"${pushed.body.sha256}"`);
    const asYaml = await a.member.get(`/api/v1/blueprints/${name}/versions/0.1.0`, { accept: 'text/yaml' });
    expect(asYaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(asYaml.text).toMatch(/^apiVersion: switchyard.dev\/v1\nkind: Blueprint\nmetadata:\n {2}name: /);
  });

  it('publishes: frozen text, second publish no-op, other text 409, frozen in the database too', async () => {
    const name = `frozen-${run}`;
    const url = `/api/v1/blueprints/${name}/versions/1.0.0/publish`;
    await a.operator.post('/api/v1/blueprints', simpleYaml(name, '1.0.0'), YAML);
    expect((await a.member.post(url)).status).toBe(403);
    const published = await a.operator.post(url);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ state: 'published', publishedAt: expect.any(String) });
    expect((await a.operator.post(url)).status).toBe(200);
    expect((await a.operator.post(url, simpleYaml(name, '1.0.0'), YAML)).status).toBe(200);
    const other = simpleYaml(name, '1.0.0', { title: 'Sneaky change' });
    const conflict = await a.operator.post(url, other, YAML);
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toMatch(/new version/);
    expect((await a.operator.post('/api/v1/blueprints', other, YAML)).status).toBe(409);
    // push-and-publish in one call for a new version
    const direct = await a.operator.post(
      `/api/v1/blueprints/${name}/versions/1.1.0/publish`,
      simpleYaml(name, '1.1.0'),
      YAML,
    );
    expect(direct.status).toBe(201);
    expect(direct.body.state).toBe('published');
    await expect(
      db.query(
        `UPDATE blueprint_versions SET source = 'x' WHERE version = '1.0.0' AND blueprint_id =
        (SELECT id FROM blueprints WHERE name = $1)`,
        [name],
      ),
    ).rejects.toThrow(/cannot change/);
  });

  it('resolves latest and ranges to the highest published; deprecate hides a version', async () => {
    const name = `ranges-${run}`;
    for (const v of ['1.0.0', '1.2.0', '1.10.1', '2.0.0']) {
      await a.operator.post(`/api/v1/blueprints/${name}/versions/${v}/publish`, simpleYaml(name, v), YAML);
    }
    await a.operator.post('/api/v1/blueprints', simpleYaml(name, '3.0.0'), YAML); // a draft
    const at = async (ref: string) =>
      (await a.member.get(`/api/v1/blueprints/${name}/versions/${encodeURIComponent(ref)}`)).headers.get(
        'x-blueprint-version',
      );
    expect(await at('latest')).toBe('2.0.0');
    expect(await at('^1.2')).toBe('1.10.1');
    expect(await at('~1.2')).toBe('1.2.0');
    expect(await at('3.0.0')).toBe('3.0.0');
    const dep = await a.operator.post(`/api/v1/blueprints/${name}/versions/2.0.0/deprecate`);
    expect(dep.status).toBe(200);
    expect(dep.body.state).toBe('deprecated');
    expect(await at('latest')).toBe('1.10.1');
    expect(
      (await a.member.get(`/api/v1/blueprints/${name}/versions/${encodeURIComponent('^2')}`)).status,
    ).toBe(404);
    expect(await at('2.0.0')).toBe('2.0.0');
    expect((await a.operator.post(`/api/v1/blueprints/${name}/versions/3.0.0/deprecate`)).status).toBe(409);
    const detail = await a.member.get(`/api/v1/blueprints/${name}`);
    expect(detail.body.latestVersion).toBe('1.10.1');
    expect(detail.body.versions.map((v: { version: string }) => v.version)).toEqual([
      '3.0.0',
      '2.0.0',
      '1.10.1',
      '1.2.0',
      '1.0.0',
    ]);
    expect((await a.member.get(`/api/v1/blueprints/${name}/versions/not%20a%20range`)).status).toBe(400);
  });

  it('lists with filters and a stable cursor', async () => {
    const tag = `t-${run}`;
    for (let i = 0; i < 5; i++) {
      const res = await a.operator.post(
        '/api/v1/blueprints',
        simpleYaml(`page-${i}-${run}`, '1.0.0', { tag, title: i === 3 ? 'Needle in a haystack' : 'Hay' }),
        YAML,
      );
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = await a.member.get(`/api/v1/blueprints?tag=${tag}&limit=2${q}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i: { name: string }) => i.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `page-${i}-${run}`));
    const needle = await a.member.get(`/api/v1/blueprints?q=needle&tag=${tag}`);
    expect(needle.body.items.map((i: { name: string }) => i.name)).toEqual([`page-3-${run}`]);
    const services = await a.member.get('/api/v1/blueprints?kind=Service&owner=platform-team');
    expect(services.body.items.map((i: { name: string }) => i.name).sort()).toEqual([
      'mysql',
      'nginx',
      'postgres',
      'redis',
    ]);
    const db2 = await a.member.get('/api/v1/blueprints?category=database');
    expect(db2.body.items.length).toBeGreaterThan(0);
    expect((await a.member.get('/api/v1/blueprints?cursor=bogus!')).status).toBe(400);
    expect((await a.member.get('/api/v1/blueprints?kind=Gadget&limit=0')).body.details).toHaveLength(2);
  });

  it('plans with exact money, per-tier placement and secrets redacted', async () => {
    const name = `priced-${run}`;
    expect((await a.operator.post('/api/v1/blueprints', pricedYaml(name), YAML)).status).toBe(201);
    const res = await a.member.post(`/api/v1/blueprints/${name}/versions/1.0.0/plan`, {
      parameters: { appCount: 3, dbPassword: 'hunter2-very-secret' },
      placement: { default: 'aws-us-east-1' },
      environments: ENVIRONMENTS,
    });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('hunter2-very-secret');
    expect(res.body.parameters).toEqual({ appCount: 3, dbPassword: '********' });
    expect(res.body.stages).toEqual([['db'], ['app']]);
    const db1 = res.body.tiers.find((t: { tier: string }) => t.tier === 'db');
    const app = res.body.tiers.find((t: { tier: string }) => t.tier === 'app');
    expect(db1.instanceType.name).toBe('t3.medium');
    expect(db1.total.monthly).toEqual({ amount: '34.368', currency: 'USD' });
    expect(app).toMatchObject({ count: 3, instanceType: { name: 't3.small' } });
    expect(app.total.monthly).toEqual({ amount: '50.352', currency: 'USD' });
    expect(res.body.total.monthly).toEqual({ amount: '84.72', currency: 'USD' });
    expect(res.body.total.hourly.currency).toBe('USD');
    expect(res.body.fabric.endpointGroups).toHaveLength(2);

    const split = await a.member.post(`/api/v1/blueprints/${name}/versions/latest/plan`, {
      parameters: { dbPassword: 'x-secret' },
      placement: { default: 'aws-us-east-1', tiers: { db: 'openstack-lab' } },
      environments: ENVIRONMENTS,
    });
    // no published version yet: latest does not see the draft
    expect(split.status).toBe(404);
    await a.operator.post(`/api/v1/blueprints/${name}/versions/1.0.0/publish`);
    const placed = await a.member.post(`/api/v1/blueprints/${name}/versions/latest/plan`, {
      parameters: { dbPassword: 'x-secret' },
      placement: { default: 'aws-us-east-1', tiers: { db: 'openstack-lab' } },
      environments: ENVIRONMENTS,
    });
    expect(placed.status).toBe(200);
    expect(placed.body.tiers.find((t: { tier: string }) => t.tier === 'db').environment).toBe(
      'openstack-lab',
    );
    expect(placed.body.fabric.networks).toHaveLength(2);

    const bad = await a.member.post(`/api/v1/blueprints/${name}/versions/1.0.0/plan`, {
      parameters: { appCount: 9, nope: 1 },
      placement: { default: 'mars' },
      environments: ENVIRONMENTS,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'parameters.appCount',
      'parameters.dbPassword',
      'parameters.nope',
    ]);
    const badEnv = await a.member.post(`/api/v1/blueprints/${name}/versions/1.0.0/plan`, {
      placement: { default: 'x' },
      environments: [{ ...ENVIRONMENTS[0], currency: 'dollars', instanceTypes: [{ name: 't', cpu: 0 }] }],
    });
    expect(badEnv.status).toBe(400);
    const paths = badEnv.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'environments.0.currency',
        'environments.0.instanceTypes.0.cpu',
        'environments.0.instanceTypes.0.hourlyPrice',
      ]),
    );
    const unknownEnv = await a.member.post(`/api/v1/blueprints/${name}/versions/1.0.0/plan`, {
      parameters: { dbPassword: 'x-secret' },
      placement: { default: 'mars' },
      environments: ENVIRONMENTS,
    });
    expect(unknownEnv.status).toBe(400);
    expect(unknownEnv.body.details[0].path).toBe('placement.default');
  });

  it("keeps tenants apart: another tenant's blueprint is 404 everywhere; names are per tenant", async () => {
    const name = `private-${run}`;
    await a.operator.post(
      `/api/v1/blueprints/${name}/versions/1.0.0/publish`,
      simpleYaml(name, '1.0.0'),
      YAML,
    );
    const base = `/api/v1/blueprints/${name}`;
    expect((await b.member.get(base)).status).toBe(404);
    expect((await b.member.get(`${base}/versions/1.0.0`)).status).toBe(404);
    expect((await b.member.get(`${base}/versions/latest`)).status).toBe(404);
    const plan = { placement: { default: 'aws-us-east-1' }, environments: ENVIRONMENTS };
    expect((await b.member.post(`${base}/versions/1.0.0/plan`, plan)).status).toBe(404);
    expect((await b.operator.post(`${base}/versions/1.0.0/publish`)).status).toBe(404);
    expect((await b.operator.post(`${base}/versions/1.0.0/deprecate`)).status).toBe(404);
    const listed = await b.member.get(`/api/v1/blueprints?q=${name}`);
    expect(listed.body.items).toEqual([]);
    // B may use the same name for its own blueprint
    expect((await b.operator.post('/api/v1/blueprints', simpleYaml(name, '9.0.0'), YAML)).status).toBe(201);
    expect((await a.member.get(`${base}/versions/9.0.0`)).status).toBe(404);
    // B cannot change the shared catalog
    expect((await b.operator.post('/api/v1/blueprints/postgres/versions/15.6.0/deprecate')).status).toBe(404);
    expect((await b.member.post('/api/v1/blueprints', simpleYaml('x', '1.0.0'), YAML)).status).toBe(403);
  });
});
