// API throughput against Node's own limit, measured in one run: `npm run bench:api`.
// Node's bare HTTP server answering a small JSON body is the reference; then /health/live (the
// whole middleware chain, no auth), an authenticated GET /api/v1/me (who the token is, held in
// memory and dropped when the token changes), the same with that memory turned off (a Postgres
// lookup each time, on a second API process), and /health/ready (a Postgres and a Redis round trip).
// The API runs as `npm start` runs it: one process per core (API_PROCESSES=0; BENCH_API_PROCESSES
// to change), logging every request at info (to /dev/null); a single-process API is measured too.
import os from 'node:os';
import { reportFigure } from './support/figures.js';
import { httpLoad, loadClient, startReferenceServer } from './support/http-load.js';
import { printRow } from './support/load.js';
import { BENCH_TOKEN, freshDatabase, startApi } from './support/stack.js';
import { freePort } from '../test/support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

const databaseUrl = await freshDatabase();
const PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? os.availableParallelism());
const [refPort, port, singlePort, uncachedPort] = [
  await freePort(),
  await freePort(),
  await freePort(),
  await freePort(),
];
const reference = await startReferenceServer(refPort);
const logged = { LOG_LEVEL: 'info' };
const api = await startApi(databaseUrl, port, { ...logged, API_PROCESSES: String(PROCESSES) });
const single = await startApi(databaseUrl, singlePort, logged);
const uncached = await startApi(databaseUrl, uncachedPort, { ...logged, PRINCIPAL_CACHE_MS: '0' });
try {
  const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
  const opts = { connections: CONNECTIONS, seconds: SECONDS };
  console.log(
    `Switchyard API bench: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}, ` +
      `${CONNECTIONS} connections, ${SECONDS} s each, ${await loadClient()} on the same machine; ` +
      `the API in ${PROCESSES} processes, the reference in one`,
  );
  // warm-up: the JIT, the token's memory, the pools
  await httpLoad(`http://127.0.0.1:${port}/api/v1/me`, { ...opts, seconds: 2, headers: auth });
  await httpLoad(`http://127.0.0.1:${singlePort}/api/v1/me`, { ...opts, seconds: 2, headers: auth });
  await httpLoad(`http://127.0.0.1:${refPort}/`, { ...opts, seconds: 2 });

  const ref = await httpLoad(`http://127.0.0.1:${refPort}/`, opts);
  printRow('node:http, bare (reference)', ref);
  const reference = { name: 'bare node:http', value: ref.rps };
  const live = await httpLoad(`http://127.0.0.1:${port}/health/live`, opts);
  printRow('GET /health/live', live);
  const me = await httpLoad(`http://127.0.0.1:${port}/api/v1/me`, { ...opts, headers: auth });
  printRow('GET /api/v1/me (authenticated)', me);
  const meSingle = await httpLoad(`http://127.0.0.1:${singlePort}/api/v1/me`, { ...opts, headers: auth });
  printRow('GET /api/v1/me (one API process)', meSingle);
  const meUncached = await httpLoad(`http://127.0.0.1:${uncachedPort}/api/v1/me`, {
    ...opts,
    headers: auth,
  });
  printRow('GET /api/v1/me (one process, lookup each time)', meUncached);
  const ready = await httpLoad(`http://127.0.0.1:${port}/health/ready`, opts);
  printRow('GET /health/ready', ready);

  reportFigure({
    name: 'GET /health/live',
    value: live.rps,
    unit: 'req/s',
    reference,
    goal: { ratioAtLeast: 0.6 },
  });
  reportFigure({
    name: 'GET /api/v1/me, authenticated',
    value: me.rps,
    unit: 'req/s',
    reference,
    goal: { ratioAtLeast: 0.4 },
  });
  reportFigure({ name: 'GET /api/v1/me, one API process', value: meSingle.rps, unit: 'req/s', reference });
  reportFigure({
    name: 'GET /api/v1/me, token looked up each time',
    value: meUncached.rps,
    unit: 'req/s',
    reference,
  });
  reportFigure({ name: 'GET /api/v1/me p99', value: me.p99ms, unit: 'ms' });
} finally {
  api.kill('SIGTERM');
  single.kill('SIGTERM');
  uncached.kill('SIGTERM');
  reference.kill('SIGTERM');
}
