import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS, pricedYaml, simpleYaml, tenantWithTokens } from '../support/blueprint-fixtures.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

/** Runs the built `syd` as a user would. */
const syd = (args: string[], env: Record<string, string>) => runSyd(args, env);

describe('syd blueprint against the running API', () => {
  let api: Proc & { url: string };
  let dir: string;
  let env: Record<string, string>;
  const run = Date.now().toString(36);
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    const admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    const { operator } = await tenantWithTokens(admin, `cli-bp-${run}`);
    env = { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: operator.token! };
    dir = mkdtempSync(join(tmpdir(), 'syd-bp-'));
  }, 90_000);

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await api?.stop();
  });

  it('validates offline: FILE:LINE:COL: path: message per problem, exit 1; JSON for scripts', async () => {
    const bad = file(
      'bad.yaml',
      simpleYaml('bad', '1.0.0').replace(
        '    ports: [80/tcp]\n',
        '    ports: [99999/tcp]\n    colour: blue\n',
      ),
    );
    // no URL or token: validation needs no server
    const human = await syd(['blueprint', 'validate', bad], {});
    expect(human.code).toBe(1);
    const lines = human.stdout.trim().split('\n').sort();
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${bad}:13:13: tiers\\.web\\.ports\\.0: must be a port`)),
      expect.stringMatching(new RegExp(`^${bad}:14:5: tiers\\.web\\.colour: unknown field`)),
    ]);
    const json = await syd(['blueprint', 'validate', bad, '--output', 'json'], {});
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ file: bad, valid: false, problems: expect.any(Array) });
    const good = await syd(['blueprint', 'validate', file('good.yaml', pricedYaml('good'))], {});
    expect(good).toMatchObject({ code: 0 });
  });

  it('pushes, publishes, lists and plans with --output json', async () => {
    const name = `cli-${run}`;
    const path = file('priced.yaml', pricedYaml(name));
    const pushed = await syd(['blueprint', 'push', path, '--output', 'json'], env);
    expect(pushed.stderr).toBe('');
    expect(JSON.parse(pushed.stdout)).toMatchObject({ name, version: '1.0.0', state: 'draft' });
    const published = await syd(['blueprint', 'publish', name, '1.0.0', '-o', 'json'], env);
    expect(JSON.parse(published.stdout)).toMatchObject({ state: 'published' });

    const listed = await syd(['blueprint', 'ls', '--search', name, '--output', 'json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name, latestVersion: '1.0.0' })]);
    const table = await syd(['blueprint', 'ls', '--kind', 'Service'], env);
    expect(table.stdout).toMatch(/^NAME\s+KIND/);
    expect(table.stdout).toContain('postgres');

    const envFile = file('envs.json', JSON.stringify(ENVIRONMENTS));
    const args = ['blueprint', 'plan', `${name}@^1`, '-p', 'appCount=3', '-p', 'dbPassword=cli-secret-pw'];
    const plan = await syd(
      [...args, '--env', 'aws-us-east-1', '--environments', envFile, '--output', 'json'],
      env,
    );
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const body = JSON.parse(plan.stdout);
    expect(body.total.monthly).toEqual({ amount: '84.72', currency: 'USD' });
    expect(body.parameters).toEqual({ appCount: 3, dbPassword: '********' });
    expect(plan.stdout).not.toContain('cli-secret-pw');
    const placed = await syd(
      [...args, '--env', 'aws-us-east-1', '--tier-env', 'db=openstack-lab', '--environments', envFile],
      env,
    );
    expect(placed.code).toBe(0);
    expect(placed.stdout).toMatch(/db\s+openstack-lab\s+m1\.medium/);
    expect(placed.stdout).toMatch(/^total: [0-9.]+ USD\/hour, [0-9.]+ USD\/month$/m);
  });

  it('plans with one precision: rates per hour to 4 decimals, months to the cent', async () => {
    const name = `dec-${run}`;
    await syd(['blueprint', 'push', file('dec.yaml', pricedYaml(name)), '--publish'], env);
    const envFile = file('envs-dec.json', JSON.stringify(ENVIRONMENTS));
    const plan = await syd(
      [
        'blueprint',
        'plan',
        name,
        '-p',
        'appCount=3',
        '-p',
        'dbPassword=cli-secret-pw',
        '--env',
        'aws-us-east-1',
        '--tier-env',
        'db=openstack-lab',
        '--environments',
        envFile,
      ],
      env,
    );
    expect(plan.code).toBe(0);
    const [header = '', , ...rest] = plan.stdout.trimEnd().split('\n');
    const rows = rest.filter((line) => !line.startsWith('total: '));
    expect(header.split(/\s+/)).toEqual([
      'STAGE',
      'TIER',
      'ENVIRONMENT',
      'TYPE',
      'COUNT',
      'HOURLY',
      'MONTHLY',
    ]);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row).toMatch(/\s\d+\.\d{4}\s+\d+\.\d{2}$/);
    // db on OpenStack 15.60 + app on AWS 50.35
    expect(plan.stdout).toMatch(/^total: \d+\.\d{4} USD\/hour, 65\.95 USD\/month$/m);
  });

  it('lists blueprints by name, then version, without an empty SHARED column', async () => {
    // pushed in the reverse of name order: the API lists them as made, the CLI by name
    for (const name of [`ls-${run}-b`, `ls-${run}-a`]) {
      const pushed = await syd(
        ['blueprint', 'push', file(`${name}.yaml`, pricedYaml(name)), '--publish'],
        env,
      );
      expect(pushed.code).toBe(0);
    }
    const table = await syd(['blueprint', 'ls', '--search', `ls-${run}`], env);
    const [header = '', , ...rows] = table.stdout.trimEnd().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'KIND', 'LATEST', 'CATEGORY', 'OWNER', 'TITLE']);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 3))).toEqual([
      [`ls-${run}-a`, 'Blueprint', '1.0.0'],
      [`ls-${run}-b`, 'Blueprint', '1.0.0'],
    ]);
    const help = await syd(['blueprint', 'ls', '--help'], env);
    expect(help.stdout + help.stderr).toContain('sorted by name, then latest version');
  });

  it('reports server-side problems of a push as FILE:LINE:COL and exits 1', async () => {
    const path = file(
      'uses.yaml',
      simpleYaml(`u-${run}`, '1.0.0').replace('    ports: [80/tcp]\n', '    uses: oracle@^19\n'),
    );
    const res = await syd(['blueprint', 'push', path], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${path}:\\d+:\\d+: tiers\\.web\\.uses: `, 'm'));
  });
});
