import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { testEnv } from './test-env.js';
import { testQueuePrefix } from './test-run.js';

const root = resolve(import.meta.dirname, '../..');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** A process this test started, stopped only by its own PID. */
export class Proc {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 2000) this.output.splice(0, 1000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
  }

  get log(): string {
    return this.output.join('');
  }

  async waitForLog(pattern: RegExp, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pattern.test(this.log)) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.name} exited early:\n${this.log.slice(-3000)}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} did not log ${pattern} in ${ms} ms:\n${this.log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM, then SIGKILL if it is still there after `ms`. */
  async stop(ms = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface StackOptions {
  env?: Record<string, string>;
}

/**
 * Environment of one test file's Switchyard: its own port and queue prefix (under the run's, so
 * that the global teardown deletes its Redis keys), the shared test database.
 */
export async function stackEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    ...testEnv(),
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    QUEUE_PREFIX: testQueuePrefix(),
    // the test database holds other files' deployments, whose clouds are gone: no reconciling them
    RECONCILE_INTERVAL_MS: '0',
    ...extra,
  };
}

function node(name: string, script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--enable-source-maps', resolve(root, script)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Proc(name, child);
}

/** Starts the compiled API (`npm run build` first) and waits until it answers on /health/live. */
export async function startApi(env: Record<string, string>): Promise<Proc & { url: string }> {
  const api = node('api', 'apps/api/dist/main.js', env);
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`api exited early:\n${api.log.slice(-3000)}`);
    if (
      await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`api did not answer in 60 s:\n${api.log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Object.assign(api, { url });
}

/** Starts the compiled worker and waits until it consumes its queues. */
export async function startWorker(env: Record<string, string>): Promise<Proc> {
  // info level at least: the worker says when it consumes, which is how this knows it is ready
  const level = env.LOG_LEVEL === 'trace' || env.LOG_LEVEL === 'debug' ? env.LOG_LEVEL : 'info';
  const worker = node('worker', 'apps/worker/dist/main.js', { ...env, LOG_LEVEL: level });
  await worker.waitForLog(/consuming /, 60_000);
  return worker;
}
