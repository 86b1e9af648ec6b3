import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Client } from '../support/http.js';
import { Proc, stackEnv } from '../support/processes.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// `npm start`'s launcher (tools/dev/run.mjs start) as people meet it: logs they can read, the
// URL and the admin token last, and Ctrl-C that lets the worker drain once. The real launcher on
// the compiled apps (--no-build: e2e runs after the build), its API and worker real processes.
const root = resolve(import.meta.dirname, '../..');
const PRETTY = /^\d\d:\d\d:\d\d\.\d{3} (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) (api|worker) /;
const TOKEN = /^ {4}(syd_[A-Za-z0-9_-]{20,})$/m;

/** How many API processes the launcher's output says listen: npm start runs one per core. */
function apiProcesses(out: string): number {
  const said = /Switchyard API: (\d+) processes listen on the port/.exec(out);
  const count = said ? Number(said[1]) : 1;
  expect(count).toBe(availableParallelism());
  return count;
}

/** The launcher in a process group of its own, as a shell runs a foreground job. */
class Launcher extends Proc {
  readonly stdout: string[] = [];

  static start(env: Record<string, string>): Launcher {
    const child = spawn(process.execPath, ['tools/dev/run.mjs', 'start', '--no-build'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const launcher = new Launcher('launcher', child);
    child.stdout.on('data', (chunk: Buffer) => launcher.stdout.push(chunk.toString()));
    return launcher;
  }

  get out(): string {
    return this.stdout.join('');
  }

  /** What a terminal's Ctrl-C does: SIGINT to every process of the foreground group. */
  interrupt(): void {
    process.kill(-this.child.pid!, 'SIGINT');
  }

  async exitWithin(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

describe('npm start (the launcher)', () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  let env: Record<string, string>;
  let launcher: Launcher | undefined;

  beforeAll(async () => {
    db = await migratedDatabase(testEnv().DATABASE_URL, 'launcher');
    const { SWITCHYARD_ADMIN_TOKEN: _printed, ...rest } = await stackEnv({
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      SWITCHYARD_DEMO_CLOUDS: 'off',
    });
    env = rest;
  });

  afterEach(async () => {
    // only if a test failed half-way: the launcher stops its own API and worker
    if (launcher && launcher.child.exitCode === null) {
      process.kill(-launcher.child.pid!, 'SIGTERM');
      await launcher.exitWithin(30_000);
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('on a first start writes readable lines, then the URL, then the admin token; Ctrl-C drains the worker once', async () => {
    launcher = Launcher.start({ ...env, LOG_FORMAT: 'pretty' });
    await launcher.waitForLog(/Switchyard is ready[\s\S]*Authorization: Bearer <token>/, 120_000);
    const out = launcher.out;
    const [logs, tail] = out.split(/\n(?= {2}Switchyard is ready)/);
    const lines = logs!.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(10);
    // one short line per record; only an error's stack is indented below its line
    expect(lines.filter((l) => !PRETTY.test(l) && !/^ {4}/.test(l))).toEqual([]);
    expect(lines.some((l) => /^\S+ INFO {2}worker \[Worker\] consuming /.test(l))).toBe(true);
    // the banner and the token come last: nothing the API logged before it is ready after them
    expect(tail).toContain(`http://localhost:${env.PORT}/`);
    const token = TOKEN.exec(tail!)?.[1];
    expect(token).toBeDefined();
    expect(logs).not.toContain(token);
    const me = await new Client(`http://127.0.0.1:${env.PORT}`, token).get('/api/v1/me');
    expect(me.status).toBe(200);

    launcher.interrupt();
    const exit = await launcher.exitWithin(60_000);
    expect(exit).toEqual({ code: 0, signal: null });
    const after = launcher.out;
    // the worker heard one signal (the launcher's, not also the terminal's) and finished draining
    expect(after.match(/ worker .*shutting down/g)).toHaveLength(1);
    expect(after).toMatch(/ worker \[Worker\] stopped/);
    expect(after).not.toMatch(/again: exiting now/);
    // and each API process (one per core: npm start's default) once
    expect(after.match(/ api .*shutting down/g)).toHaveLength(apiProcesses(after));
  }, 180_000);

  it('writes JSON lines when its output is not a terminal, and stops the same way on SIGTERM', async () => {
    launcher = Launcher.start(env);
    await launcher.waitForLog(/Switchyard is ready[\s\S]*Ctrl-C stops Switchyard/, 120_000);
    const [logs, tail] = launcher.out.split(/\n(?= {2}Switchyard is ready)/);
    const records = logs!
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: number; msg: string; context?: string });
    expect(records.length).toBeGreaterThan(10);
    expect(records.every((r) => typeof r.level === 'number' && typeof r.msg === 'string')).toBe(true);
    // the token was shown on the first start only
    expect(tail).toContain('printed on the very first start only');
    expect(tail).not.toMatch(TOKEN);

    // a service manager stops the launcher alone
    launcher.child.kill('SIGTERM');
    const exit = await launcher.exitWithin(60_000);
    expect(exit).toEqual({ code: 0, signal: null });
    const stopped = launcher.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; context?: string });
    // one from each API process, one from the worker, and no second signal
    expect(stopped.filter((r) => r.msg === 'SIGTERM: shutting down')).toHaveLength(
      1 + apiProcesses(launcher.out),
    );
    expect(stopped.some((r) => r.context === 'Worker' && r.msg === 'stopped')).toBe(true);
    expect(stopped.some((r) => /again/.test(r.msg))).toBe(false);
  }, 180_000);
});
