import type pg from 'pg';
import { simpleYaml, tenantWithTokens, YAML } from '../support/blueprint-fixtures.js';
import { testDb } from '../support/db.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// Hostile and malformed input to the catalog API; the happy paths are in blueprints.e2e-spec.ts.
describe('blueprint catalog API: bad input, schema, OpenAPI', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let db: pg.Client;
  let a: { operator: Client; member: Client };
  const run = Date.now().toString(36);

  const rowCounts = async () => {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM blueprints)::int AS b, (SELECT count(*) FROM blueprint_versions)::int AS v`,
    );
    return rows[0] as { b: number; v: number };
  };

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    a = await tenantWithTokens(admin, `bp-bad-${run}`);
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  it('refuses bad blueprints with every problem at once, by path and line:column, storing nothing', async () => {
    const before = await rowCounts();
    const post = (body: string, headers = YAML) => a.operator.post('/api/v1/blueprints', body, headers);

    const syntax = await post('apiVersion: switchyard.dev/v1\nkind: [Blueprint\nmetadata: {}\n');
    expect(syntax.status).toBe(400);
    expect(syntax.body.details[0]).toMatchObject({
      path: '',
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(syntax.body.details[0].message).toMatch(/YAML syntax error/);

    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const started = Date.now();
    const bombed = await post(bomb.join('\n') + '\n');
    expect(bombed.status).toBe(400);
    expect(bombed.body.details[0].message).toMatch(/alias/);
    expect(Date.now() - started).toBeLessThan(5000);

    const dup = await post(
      simpleYaml(`dup-${run}`, '1.0.0').replace('  title: Simple web\n', '  title: A\n  title: B\n'),
    );
    expect(dup.status).toBe(400);
    expect(dup.body.details).toEqual([
      expect.objectContaining({
        path: 'metadata.title',
        message: expect.stringMatching(/duplicate/),
        line: 7,
      }),
    ]);
    const dupJson = await post(
      `{"apiVersion": "switchyard.dev/v1", "kind": "Blueprint", "kind": "Service", "metadata": {}, "tiers": {}}`,
      { 'content-type': 'application/json' },
    );
    expect(dupJson.status).toBe(400);
    expect(dupJson.body.details.map((d: { path: string }) => d.path)).toContain('kind');

    const many = await post(
      simpleYaml(`many-${run}`, 'one')
        .replace(
          '    ports: [80/tcp]\n',
          '    ports: [99999/tcp]\n    colour: blue\n    dependsOn: [ghost]\n',
        )
        .replace("os: ubuntu, version: '22.04'", "os: ubuntu, version: '22.04', extra: 1"),
    );
    expect(many.status).toBe(400);
    const paths = many.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining([
        'metadata.version',
        'tiers.web.colour',
        'tiers.web.dependsOn.0',
        'tiers.web.image.extra',
        'tiers.web.ports.0',
      ]),
    );
    expect(many.body.details.every((d: { line?: number }) => typeof d.line === 'number')).toBe(true);

    const cyclic = simpleYaml(`cycle-${run}`, '1.0.0').replace(
      '    ports: [80/tcp]\n',
      `    ports: [80/tcp]\n    dependsOn: [db]\n  db:\n    size: { cpu: 1, memoryMiB: 1024 }\n    image: { os: ubuntu, version: '22.04' }\n    dependsOn: [web]\n`,
    );
    const cycle = await post(cyclic);
    expect(cycle.status).toBe(400);
    expect(cycle.body.details.map((d: { message: string }) => d.message).join('\n')).toMatch(
      /(web -> db -> web|db -> web -> db)/,
    );

    const uses = await post(
      simpleYaml(`uses-${run}`, '1.0.0').replace('    ports: [80/tcp]\n', '    uses: oracle@^19\n'),
    );
    expect(uses.status).toBe(400);
    expect(uses.body.details.map((d: { path: string }) => d.path)).toContain('tiers.web.uses');

    const started10 = Date.now();
    const huge = await post('x'.repeat(10 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(Date.now() - started10).toBeLessThan(3000);
    const bigJson = await post(JSON.stringify({ pad: 'x'.repeat(600 * 1024) }), {
      'content-type': 'application/json',
    });
    expect(bigJson.status).toBe(413);
    expect((await post('hello', { 'content-type': 'text/plain' })).status).toBe(415);

    expect(await rowCounts()).toEqual(before);
    const { rows } = await db.query(`SELECT name FROM blueprints WHERE name LIKE $1`, [`%-${run}`]);
    expect(rows.map((r) => r.name)).not.toEqual(expect.arrayContaining([`many-${run}`]));
    expect(rows.filter((r) => /^(dup|many|cycle|uses)-/.test(r.name))).toEqual([]);
  });

  it('serves the JSON Schema to token holders, and documents every route in OpenAPI', async () => {
    expect((await a.member.as(undefined).get('/api/v1/blueprints/schema.json')).status).toBe(401);
    const schema = await a.member.get('/api/v1/blueprints/schema.json');
    expect(schema.status).toBe(200);
    expect(schema.body.properties).toHaveProperty('tiers');
    const doc = await admin.get('/api/openapi.json');
    const paths = Object.keys(doc.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/blueprints',
        '/api/v1/blueprints/schema.json',
        '/api/v1/blueprints/{name}',
        '/api/v1/blueprints/{name}/versions/{version}',
        '/api/v1/blueprints/{name}/versions/{version}/publish',
        '/api/v1/blueprints/{name}/versions/{version}/deprecate',
        '/api/v1/blueprints/{name}/versions/{version}/plan',
      ]),
    );
    expect(doc.body.components.schemas).toHaveProperty('PlanRequestDto');
  });
});
