import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import { METRICS_REPLY, METRICS_REQUEST, type MetricsReply, type MetricsRequest } from './metrics-ipc.js';

/** `API_PROCESSES`: 0 is one per core. */
export function processCount(configured: number): number {
  return configured === 0 ? availableParallelism() : configured;
}

// A worker that dies this soon after it started is restarted after a doubled delay (up to the
// cap), so a process that keeps dying does not spin the machine.
const QUICK_DEATH_MS = 10_000;
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The primary of a clustered API: forks `count` workers that share the port (node:cluster hands
 * connections round-robin), restarts one that dies, stops them all on SIGTERM/SIGINT and answers
 * their requests for the cluster's metrics. It starts the first worker alone and the others once
 * it listens, so what a worker writes at start-up (seeding the demo catalog, the first admin) is
 * written once, not raced.
 */
export function superviseApiWorkers(count: number, log: (msg: string) => void): void {
  const metrics = new AggregatorRegistry();
  // the live workers and when each started (cluster.workers may still list one that has exited)
  const live = new Map<number, { worker: Worker; startedAt: number }>();
  let stopping = false;
  let served = false;
  let restartDelay = RESTART_DELAY_MS;

  const fork = (): Worker => {
    const worker = cluster.fork();
    live.set(worker.id, { worker, startedAt: Date.now() });
    worker.on('message', (msg: MetricsRequest) => {
      if (msg?.type !== METRICS_REQUEST) return;
      metrics.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_REPLY, id: msg.id, text } satisfies MetricsReply),
        (err: Error) =>
          worker.send({ type: METRICS_REPLY, id: msg.id, error: err.message } satisfies MetricsReply),
      );
    });
    return worker;
  };

  // the first alone; the others once it listens; said once all of them listen
  let listening = 0;
  const started = () => {
    if (++listening === count) log(`Switchyard API: ${count} processes listen on the port`);
  };
  const first = fork();
  first.once('listening', () => {
    served = true;
    started();
    for (let i = 1; i < count; i++) fork().once('listening', started);
  });

  cluster.on('exit', (worker, code, signal) => {
    const ranFor = Date.now() - (live.get(worker.id)?.startedAt ?? 0);
    live.delete(worker.id);
    if (stopping) {
      if (live.size === 0) process.exit();
      return;
    }
    if (!served) {
      // the first process failed to start (bad configuration, database out of reach): what a
      // single process would do, exit with its code, rather than loop
      log(`the API failed to start (${signal ?? `code ${code}`}); stopping`);
      stop(typeof code === 'number' && code !== 0 ? code : 1);
      return;
    }
    restartDelay =
      ranFor < QUICK_DEATH_MS ? Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS) : RESTART_DELAY_MS;
    log(`an API process died (${signal ?? `code ${code}`}); starting another in ${restartDelay / 1000} s`);
    setTimeout(() => stopping || fork(), restartDelay).unref();
  });

  const stop = (exitCode = 0) => {
    stopping = true;
    process.exitCode = exitCode;
    if (live.size === 0) process.exit();
    for (const { worker } of live.values()) worker.process.kill('SIGTERM');
  };
  process.once('SIGTERM', () => stop());
  process.once('SIGINT', () => stop());
}
