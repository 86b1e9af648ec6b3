// API throughput and latency on this machine: `npm run bench:api`.
// Prints requests/s and p50/p99 for an authenticated GET (who the token is, held in memory) and
// the same with that memory turned off (a Postgres lookup per request, on a second API process
// started alike), for /health/ready (a Postgres and a Redis round trip), with /health/live as the floor.
import os from 'node:os';
import { load, printRow } from './support/load.js';
import { BENCH_TOKEN, freshDatabase, startApi } from './support/stack.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PORT = 3900;

const databaseUrl = await freshDatabase();
const api = await startApi(databaseUrl, PORT);
const uncached = await startApi(databaseUrl, PORT + 1, { PRINCIPAL_CACHE_MS: '0' });
try {
  const base = `http://127.0.0.1:${PORT}`;
  const auth = { authorization: `Bearer ${BENCH_TOKEN}` };
  console.log(
    `Switchyard API bench: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}, ` +
      `${CONNECTIONS} connections, ${SECONDS} s each, client on the same machine`,
  );
  await load(`${base}/api/v1/me`, { connections: CONNECTIONS, seconds: 2, headers: auth }); // warm-up
  printRow(
    'GET /health/live (floor)',
    await load(`${base}/health/live`, { connections: CONNECTIONS, seconds: SECONDS }),
  );
  printRow(
    'GET /api/v1/me (authenticated)',
    await load(`${base}/api/v1/me`, { connections: CONNECTIONS, seconds: SECONDS, headers: auth }),
  );
  printRow(
    'GET /api/v1/me (lookup each time)',
    await load(`http://127.0.0.1:${PORT + 1}/api/v1/me`, {
      connections: CONNECTIONS,
      seconds: SECONDS,
      headers: auth,
    }),
  );
  printRow(
    'GET /health/ready',
    await load(`${base}/health/ready`, { connections: CONNECTIONS, seconds: SECONDS }),
  );
} finally {
  api.kill('SIGTERM');
  uncached.kill('SIGTERM');
}
