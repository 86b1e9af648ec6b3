// Catalog list latency with 10,000 blueprints: `npm run bench:blueprints-list`.
// Prints requests/s and p50/p99 of GET /api/v1/blueprints: the first page, a text search, a tag
// filter and a deep page reached through the API's own cursors, over 16 connections and over one.
// Asserts nothing; the first and deep pages are reported against the issue's goals.
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { reportFigure } from './support/figures.js';
import { httpLoad, loadClient } from './support/http-load.js';
import { printRow } from './support/load.js';
import { BENCH_TOKEN, freshDatabase, startApi } from './support/stack.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const BLUEPRINTS = 10_000;
// A port the OS picks: a fixed one may be held by another API, which startApi would then measure.
const PORT = await new Promise<number>((resolve, reject) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(port));
  });
  probe.on('error', reject);
});
const TENANT = 'bench-catalog';

const base = `http://127.0.0.1:${PORT}`;
const admin = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' };

async function post<T>(path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function get<T>(path: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(base + path, { headers });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * 10,000 blueprints with one published version each, in one statement per table. The caller is
 * a member of its own tenant (not `default`), so the list also takes the shared-catalog branch
 * a real tenant takes. created_at is spread one second apart, as pushes over time would be.
 */
async function seed(databaseUrl: string, tenantId: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO blueprints (tenant_id, name, kind, owner, category, tags, title, description, created_at, updated_at)
       SELECT $1, 'bp-' || i, CASE WHEN i % 10 = 0 THEN 'Service' ELSE 'Blueprint' END,
         'team-' || (i % 40), (ARRAY['web', 'database', 'analytics', 'hpc', 'testing'])[1 + i % 5],
         ARRAY['team-' || (i % 40), 'tier-' || (i % 3)] || CASE WHEN i % 500 = 0 THEN ARRAY['rare'] ELSE '{}' END,
         'Blueprint number ' || i, 'A generated blueprint (' || md5(i::text) || ') for the list bench',
         ts, ts
       FROM generate_series(1, ${BLUEPRINTS}) AS i,
         LATERAL (SELECT date_trunc('milliseconds', now()) - (${BLUEPRINTS} - i) * interval '1 second' AS ts) t`,
      [tenantId],
    );
    await db.query(
      `INSERT INTO blueprint_versions (blueprint_id, tenant_id, version, state, source, content_type, document,
         sha256, created_at, updated_at, published_at)
       SELECT b.id, b.tenant_id, '1.0.0', 'published', s.source, 'yaml',
         jsonb_build_object('apiVersion', 'switchyard.dev/v1', 'kind', b.kind,
           'metadata', jsonb_build_object('name', b.name, 'version', '1.0.0', 'title', b.title)),
         encode(sha256(convert_to(s.source, 'UTF8')), 'hex'), b.created_at, b.created_at, b.created_at
       FROM blueprints b,
         LATERAL (SELECT 'apiVersion: switchyard.dev/v1' || E'\\n' || 'kind: ' || b.kind || E'\\n'
           || 'metadata: { name: ' || b.name || ', version: 1.0.0 }' || E'\\n' AS source) s
       WHERE b.tenant_id = $1`,
      [tenantId],
    );
    // as autovacuum would have by then: statistics for the planner, a visibility map for index-only scans
    await db.query('VACUUM ANALYZE blueprints, blueprint_versions');
  } finally {
    await db.end();
  }
}

const databaseUrl = await freshDatabase();
// the API as `npm start` runs it: one process per core (BENCH_API_PROCESSES to change)
const PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? os.availableParallelism());
const api = await startApi(databaseUrl, PORT, { API_PROCESSES: String(PROCESSES) });
try {
  const tenant = await post<{ id: string }>('/api/v1/tenants', { name: TENANT }, admin);
  const user = await post<{ id: string }>(
    '/api/v1/users',
    { name: 'reader', role: 'member', tenant: TENANT },
    admin,
  );
  const token = await post<{ token: string }>('/api/v1/tokens', { name: 'reader-t', userId: user.id }, admin);
  const auth = { authorization: `Bearer ${token.token}` };
  const seedStart = performance.now();
  await seed(databaseUrl, tenant.id);
  const seedMs = performance.now() - seedStart;

  // A cursor ~9,000 rows in, reached by following nextCursor as a client would.
  let cursor: string | null = null;
  for (let seen = 0; seen < 9_000; seen += 500) {
    const page: { nextCursor: string | null } = await get<{ nextCursor: string | null }>(
      `/api/v1/blueprints?limit=500${cursor === null ? '' : `&cursor=${cursor}`}`,
      auth,
    );
    cursor = page.nextCursor;
  }
  if (cursor === null) throw new Error('the catalog ended before the deep page');

  console.log(
    `Switchyard blueprint list bench: ${BLUEPRINTS} blueprints (seeded in ${seedMs.toFixed(0)} ms), ` +
      `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}, the API in ${PROCESSES} processes, ${CONNECTIONS} connections, ` +
      `${SECONDS} s each, ${await loadClient()} on the same machine`,
  );
  const list = `${base}/api/v1/blueprints`;
  await httpLoad(`${list}?limit=50`, { connections: CONNECTIONS, seconds: 2, headers: auth }); // warm-up
  const cases: [string, string][] = [
    ['first page (limit 50)', `${list}?limit=50`],
    ['search q=number 123 (limit 50)', `${list}?limit=50&q=${encodeURIComponent('number 123')}`],
    ['search q=zzz, no match (limit 50)', `${list}?limit=50&q=zzz`],
    ['tag=tier-1 (limit 50)', `${list}?limit=50&tag=tier-1`],
    ['tag=rare, 20 rows (limit 50)', `${list}?limit=50&tag=rare`],
    ['deep page, row 9,000 (limit 50)', `${list}?limit=50&cursor=${cursor}`],
  ];
  for (const [name, url] of cases) {
    const r = await httpLoad(url, { connections: CONNECTIONS, seconds: SECONDS, headers: auth });
    printRow(name, r);
    if (name.startsWith('first') || name.startsWith('deep')) {
      const page = name.split(' ')[0];
      reportFigure({
        name: `catalog ${page} page, ${CONNECTIONS} conn.`,
        value: r.rps,
        unit: 'req/s',
        goal: { atLeast: 1500 },
      });
      reportFigure({
        name: `catalog ${page} page, ${CONNECTIONS} conn., p99`,
        value: r.p99ms,
        unit: 'ms',
        goal: { atMost: 50 },
      });
      const one = await httpLoad(url, { connections: 1, seconds: SECONDS, headers: auth });
      printRow(`${name}, 1 connection`, one);
      reportFigure({
        name: `catalog ${page} page, 1 conn., p99`,
        value: one.p99ms,
        unit: 'ms',
        goal: { atMost: 20 },
      });
    }
  }
} finally {
  api.kill('SIGTERM');
}
