// Does the API keep answering while hostile bodies arrive? `npm run bench:hostile`.
// Prints /health/live p50/p99 alone, then again while 20 clients send the largest hostile bodies
// the limits allow (1 MiB JSON near the key, item and depth limits, NUL at the end, a 512 KiB
// YAML blueprint of 19,000 keys), and how many of those were answered, by status.
import http from 'node:http';
import os from 'node:os';
import { load, printRow } from './support/load.js';
import { BENCH_TOKEN, freshDatabase, startApi } from './support/stack.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ATTACKERS = 20;
const PORT = 3901;
const MiB = 1_048_576;

function wideObject(keys: number, keyLength: number): Record<string, number> {
  const pad = 'k'.repeat(Math.max(1, keyLength - 6));
  return Object.fromEntries(Array.from({ length: keys }, (_, i) => [`${pad}${i}`, i]));
}

const hostile: { name: string; path: string; type: string; auth: boolean; body: Buffer }[] = [
  {
    name: '19,990 unknown keys, unauthenticated',
    path: '/api/v1/sessions',
    type: 'application/json',
    auth: false,
    body: Buffer.from(JSON.stringify(wideObject(19_990, 44))),
  },
  {
    name: 'order with 19,990 parameters',
    path: '/api/v1/orders',
    type: 'application/json',
    auth: true,
    body: Buffer.from(
      JSON.stringify({
        blueprint: 'x@1',
        name: 'n',
        placement: { default: 'a' },
        parameters: wideObject(19_990, 40),
      }),
    ),
  },
  {
    name: '1 MiB of [[[[',
    path: '/api/v1/sessions',
    type: 'application/json',
    auth: false,
    body: Buffer.from('['.repeat(MiB - 16)),
  },
  {
    name: 'depth 32, 19,000 items, NUL at the end',
    path: '/api/v1/tokens',
    type: 'application/json',
    auth: true,
    body: Buffer.from(
      '{"a":'.repeat(30) +
        JSON.stringify({ items: Array.from({ length: 19_000 }, () => 'x'.repeat(40)), last: 'x\u0000' }) +
        '}'.repeat(30),
    ),
  },
  {
    name: 'YAML blueprint of 19,000 keys',
    path: '/api/v1/blueprints',
    type: 'application/yaml',
    auth: true,
    body: Buffer.from(
      'apiVersion: switchyard/v1\nkind: Blueprint\n' +
        Array.from({ length: 19_000 }, (_, i) => `key-${'k'.repeat(14)}-${i}: ${i}`).join('\n'),
    ),
  },
];

function send(agent: http.Agent, base: string, h: (typeof hostile)[number]): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      `${base}${h.path}`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': h.type,
          'content-length': h.body.length,
          ...(h.auth ? { authorization: `Bearer ${BENCH_TOKEN}` } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(h.body);
  });
}

const databaseUrl = await freshDatabase();
const api = await startApi(databaseUrl, PORT);
try {
  const base = `http://127.0.0.1:${PORT}`;
  console.log(
    `Switchyard hostile-body bench: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}, ` +
      `${SECONDS} s each, client on the same machine`,
  );
  for (const h of hostile)
    console.log(`  body: ${h.name}, ${(h.body.length / 1024).toFixed(0)} KiB → ${h.path}`);
  await load(`${base}/health/live`, { connections: 4, seconds: 1 }); // warm-up
  printRow('GET /health/live alone', await load(`${base}/health/live`, { connections: 4, seconds: SECONDS }));

  const statuses = new Map<string, number>();
  let stop = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: ATTACKERS });
  const attackers = Array.from({ length: ATTACKERS }, async (_, i) => {
    for (let n = i; !stop; n++) {
      const h = hostile[n % hostile.length]!;
      const key = `${h.name} → ${await send(agent, base, h)}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  });
  await new Promise((r) => setTimeout(r, 1_000)); // the attack is under way
  const under = await load(`${base}/health/live`, { connections: 4, seconds: SECONDS });
  stop = true;
  await Promise.all(attackers);
  agent.destroy();
  printRow(`GET /health/live, ${ATTACKERS} hostile clients`, under);
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  console.log(`hostile requests answered: ${total} in ${SECONDS + 1} s`);
  for (const [key, count] of [...statuses].sort()) console.log(`  ${String(count).padStart(6)}  ${key}`);
} finally {
  api.kill('SIGTERM');
}
