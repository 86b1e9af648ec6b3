import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { load, type LoadResult } from './load.js';

const run = promisify(execFile);

export interface HttpLoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

let wrkFound: boolean | undefined;

async function hasWrk(): Promise<boolean> {
  wrkFound ??= await run('wrk', ['--version']).then(
    () => true,
    // wrk --version exits 1 after printing its version
    (err: { stdout?: string }) => /wrk/.test(err.stdout ?? ''),
  );
  return wrkFound;
}

/** Which client measures: wrk (a C load generator, `apt-get install wrk`) or Node's http agent. */
export async function loadClient(): Promise<string> {
  return (await hasWrk()) ? 'wrk, 2 threads' : 'Node http client (install wrk for figures nearer the limit)';
}

const MS = { us: 0.001, ms: 1, s: 1000 } as Record<string, number>;

function parseDuration(text: string | undefined): number {
  const m = text?.match(/^([\d.]+)(us|ms|s)$/);
  return m ? Number(m[1]) * MS[m[2]!]! : NaN;
}

/** Parses wrk's summary with --latency: requests/s, p50, p99, non-2xx and socket errors. */
export function parseWrk(out: string, seconds: number): LoadResult {
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN);
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const errors = non2xx + socketErrors;
  return {
    requests: requests - non2xx,
    errors,
    seconds,
    rps: requests > 0 ? (rps * (requests - non2xx)) / requests : 0,
    p50ms: parseDuration(out.match(/\n\s+50%\s+(\S+)/)?.[1]),
    p99ms: parseDuration(out.match(/\n\s+99%\s+(\S+)/)?.[1]),
  };
}

/** Closed-loop load on one URL: wrk when it is installed, else the Node client in load.ts. */
export async function httpLoad(url: string, opts: HttpLoadOptions): Promise<LoadResult> {
  if (!(await hasWrk())) return load(url, opts);
  // wrk needs at least one connection per thread
  const threads = String(Math.min(2, opts.connections));
  const args = ['-t', threads, '-c', String(opts.connections), '-d', `${opts.seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  const { stdout } = await run('wrk', [...args, url]);
  return parseWrk(stdout, opts.seconds);
}

/** Starts Node's bare HTTP server (the reference) on `port`; resolves once it listens. */
export async function startReferenceServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [resolve(import.meta.dirname, 'reference-http-server.mjs'), String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ok, fail) => {
    child.stdout!.once('data', () => ok());
    child.once('exit', (code) => fail(new Error(`the reference server exited (${code})`)));
  });
  return child;
}
