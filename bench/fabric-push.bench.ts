// Policy push figures, printed: (a) from a policy change over the netctl-compatible REST API (the
// call returned) to packets obeying it, p50/p99 over N endpoints (PUSH_BENCH_ENDPOINTS, 1,000 by
// default): each endpoint a network namespace on one bridge, registered as a running Linux-host
// instance, its ruleset pushed by the real worker (fabric trigger → RulesetPush → the host's
// ruleset route → `nft -f` in its namespace), judged by TCP probes from a namespace of its own;
// (b) the nftables ruleset of a tenant of 1,000 groups and 10,000 rules: bytes, lines, `nft -f`
// load time. Needs root, `ip netns` and `nft`; removes every namespace, link and table it made.
// Run: `npm run bench:fabric-push` (or tsx with BENCH_DATABASE_URL/BENCH_REDIS_URL after a build).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';
import { Fabric } from '@switchyard/network-fabric';
import { DataSource } from 'typeorm';
import { Client } from '../test/support/http.js';
import { freePort } from '../test/support/processes.js';
import { netnsEndpoints, type NetnsEndpoints } from './support/netns-endpoints.js';
import { rulesetScale } from './support/ruleset-scale.js';
import { startRulesetHost, type RulesetHost } from './support/ruleset-host.js';
import { BENCH_TOKEN, freshDatabase, startApi, startWorker } from './support/stack.js';

const ENDPOINTS = Number(process.env.PUSH_BENCH_ENDPOINTS ?? 1000);
const ROUNDS = Number(process.env.PUSH_BENCH_ROUNDS ?? 3);
const PREFIX = `yb${process.pid.toString(36)}`.slice(0, 8);
const SUBNET = { base: '10.77.0', cidr: '10.77.0.0/20', length: 20 };
const PORT = 7000;
// each endpoint is probed about every 250 ms: 4,000 connects/s over 1,000 endpoints on a 2-core host
const PROBE = { timeoutMs: 250, pauseMs: 250 };
const ROUND_DEADLINE_MS = 600_000;
const PROBER = resolve(import.meta.dirname, 'support/tcp-prober.mjs');

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function line(label: string, ms: number[], extra = ''): void {
  const s = [...ms].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(0)} ms`.padStart(8);
  console.log(
    `${label.padEnd(58)} p50 ${f(percentile(s, 50))}   p99 ${f(percentile(s, 99))}   max ${f(s.at(-1) ?? 0)}${extra}`,
  );
}

/** The prober in the probe namespace: one JSON round per line (bench/support/tcp-prober.mjs). */
function startProber(ns: string) {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PROBER], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async round(targets: string[], want: 'open' | 'closed', deadlineMs: number) {
      child.stdin.write(`${JSON.stringify({ targets, port: PORT, want, deadlineMs, ...PROBE })}\n`);
      const next = await answers.next();
      if (next.done) throw new Error('the prober stopped');
      return JSON.parse(next.value) as { times: Record<string, number>; missed: string[] };
    },
  };
}

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function pushFigures(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'syd-push-bench-'));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(work, 'token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const namespaceByCloudId = new Map<string, string>();
  let host: RulesetHost | undefined;
  let endpoints: NetnsEndpoints | undefined;
  const procs: ChildProcess[] = [];
  let ds: DataSource | undefined;
  try {
    const dbUrl = await freshDatabase();
    ds = new DataSource(dataSourceOptions(dbUrl, CORE_ENTITIES, MIGRATIONS, { poolSize: 4 }));
    await ds.initialize();
    host = await startRulesetHost(token, (id) => namespaceByCloudId.get(id));
    const extra = {
      SWITCHYARD_DEMO_CLOUDS: `linux-host=${host.url},linux-host-token-file=${tokenFile}`,
      RECONCILE_INTERVAL_MS: '0',
    };
    const port = await freePort();
    procs.push(await startApi(dbUrl, port, extra), startWorker(dbUrl, extra));
    const api = new Client(`http://127.0.0.1:${port}`, BENCH_TOKEN);
    const db = ds;
    // the API seeds "Linux (local)" on the bench's ruleset host in the background
    const { tenantId, tenant } = await until('the linux-local environment', 60_000, async () => {
      const [row] = (await db.query(
        `SELECT t.id, t.name FROM environments e JOIN tenants t ON t.id = e.tenant_id WHERE e.name = 'linux-local'`,
      )) as { id: string; name: string }[];
      return row ? { tenantId: row.id, tenant: row.name } : undefined;
    });
    const contiv = async (collection: string, key: string, body: object) => {
      const res = await api.post(`/netmaster/api/v1/${collection}/${key}/`, { tenantName: tenant, ...body });
      if (res.status !== 200) throw new Error(`${collection} ${key}: ${res.status} ${res.text}`);
    };
    await contiv('networks', `${tenant}:bnet`, { networkName: 'bnet', encap: 'vxlan', subnet: SUBNET.cidr });
    await contiv('policys', `${tenant}:epin`, { policyName: 'epin' });
    await contiv('rules', `${tenant}:epin:deny-all`, {
      policyName: 'epin',
      ruleId: 'deny-all',
      direction: 'in',
      priority: 1,
      action: 'deny',
    });
    await contiv('endpointGroups', `${tenant}:probe`, { groupName: 'probe', networkName: 'bnet' });
    await contiv('endpointGroups', `${tenant}:ep`, {
      groupName: 'ep',
      networkName: 'bnet',
      policies: ['epin'],
    });
    const fabric = new Fabric(ds);
    const allocate = async (group: string, key: string) =>
      (await fabric.allocateEndpoint({ tenantId, network: 'bnet', group, key })).ipv4!;
    const probeAddress = await allocate('probe', 'bench-probe');
    const addresses: string[] = [];
    for (let i = 0; i < ENDPOINTS; i++) addresses.push(await allocate('ep', `bench-ep-${i}`));

    let started = now();
    endpoints = await netnsEndpoints(PREFIX, [probeAddress, ...addresses], SUBNET.length);
    const [probeNs, ...epNs] = endpoints.namespaces;
    console.log(
      `${ENDPOINTS + 1} namespaces on one bridge made in ${((now() - started) / 1000).toFixed(1)} s`,
    );
    epNs.forEach((ns, i) => namespaceByCloudId.set(`lh-bench${i}`, ns));

    // the endpoints as one running deployment's instances on the Linux host
    const deploymentId = (
      (await ds.query(
        `INSERT INTO deployments (id, tenant_id, name, state, step, blueprint_name, blueprint_version,
                                blueprint, parameters, placement, plan)
       VALUES (gen_random_uuid(), $1, 'push-bench', 'running', 'done', 'push-bench', '1.0.0', '{}', '{}', '{}', '{}')
       RETURNING id`,
        [tenantId],
      )) as { id: string }[]
    )[0]!.id;
    await ds.query(
      `INSERT INTO deployment_instances (deployment_id, tier, index, environment, provider, idempotency_key,
                                         cloud_id, address, state)
       SELECT $1, 'ep', i - 1, 'linux-local', 'linux-host', 'bench-ep-' || (i - 1), 'lh-bench' || (i - 1), a, 'running'
         FROM unnest($2::text[]) WITH ORDINALITY AS t(a, i)`,
      [deploymentId, addresses],
    );
    const loaded = async () =>
      Number(
        (
          (await db.query(
            `SELECT count(*) AS n FROM deployment_instances WHERE ruleset_etag IS NOT NULL`,
          )) as {
            n: string;
          }[]
        )[0]!.n,
      );
    started = now();
    await ds.query(`INSERT INTO fabric_policy_changes (tenant_id) VALUES ($1)`, [tenantId]);
    await until('the first push', 600_000, async () => ((await loaded()) === ENDPOINTS ? true : undefined));
    const firstPush = now() - started;
    const firstLoads = [...host.loadMs];

    const prober = startProber(probeNs!);
    procs.push(prober.child);
    const baseline = await prober.round(addresses, 'closed', 60_000);
    if (baseline.missed.length) throw new Error(`${baseline.missed.length} endpoints answer before the rule`);

    const opened: number[] = [];
    const closed: number[] = [];
    // from the REST call's return to the first ruleset PUT of that change at the host
    const firstPut: number[] = [];
    const firstPutAfter = (t: number) => {
      const after = host!.arrivals.filter((a) => a >= t);
      return after.length ? [Math.min(...after) - t] : [];
    };
    let missed = 0;
    const rule = `${tenant}:epin:open-${PORT}`;
    for (let r = 0; r < ROUNDS; r++) {
      await contiv('rules', rule, {
        policyName: 'epin',
        ruleId: `open-${PORT}`,
        direction: 'in',
        priority: 10,
        action: 'allow',
        protocol: 'tcp',
        port: PORT,
        fromEndpointGroup: 'probe',
      });
      let returned = now();
      let round = await prober.round(addresses, 'open', ROUND_DEADLINE_MS);
      opened.push(...Object.values(round.times).map((t) => t - returned));
      firstPut.push(...firstPutAfter(returned));
      await until('the push to end', ROUND_DEADLINE_MS, async () =>
        Number(
          ((await db.query(`SELECT count(*) AS n FROM fabric_policy_changes`)) as { n: string }[])[0]!.n,
        ) === 0
          ? true
          : undefined,
      );
      missed += round.missed.length;
      const removed = await api.delete(`/netmaster/api/v1/rules/${rule}/`);
      if (removed.status !== 200) throw new Error(`rule delete: ${removed.status} ${removed.text}`);
      returned = now();
      round = await prober.round(addresses, 'closed', ROUND_DEADLINE_MS);
      closed.push(...Object.values(round.times).map((t) => t - returned));
      firstPut.push(...firstPutAfter(returned));
      // the next round starts once this change is pushed everywhere
      await until('the push to end', ROUND_DEADLINE_MS, async () =>
        Number(
          ((await db.query(`SELECT count(*) AS n FROM fabric_policy_changes`)) as { n: string }[])[0]!.n,
        ) === 0
          ? true
          : undefined,
      );
      missed += round.missed.length;
    }
    const events = (await ds.query(
      `SELECT type, count(*)::int AS n FROM deployment_events WHERE deployment_id = $1 GROUP BY type`,
      [deploymentId],
    )) as { type: string; n: number }[];

    console.log(
      `\n(a) policy change → packets obeying it: ${ENDPOINTS} endpoints (namespaces), ${ROUNDS} rounds each way`,
    );
    console.log(
      `    probe: TCP connect to :${PORT} from a namespace of its own; open = a RST or connect, closed = no answer ` +
        `in ${PROBE.timeoutMs} ms, then none in ${PROBE.timeoutMs * 4} ms (an opening is seen up to ${PROBE.timeoutMs} ms ` +
        `late, a closing up to ${PROBE.pauseMs} ms)`,
    );
    console.log(
      `${`first push, ${ENDPOINTS} rulesets from none`.padEnd(58)} ${(firstPush / 1000).toFixed(1)} s`,
    );
    line(`one load at the host (ip netns exec NS nft -f -), first push`, firstLoads);
    line(`one load at the host, all ${host.loadMs.length} loads`, host.loadMs);
    line(`allow rule created (closed → open), ${opened.length} samples`, opened);
    line(`allow rule deleted (open → closed), ${closed.length} samples`, closed);
    line(`REST return → the first ruleset PUT at the host, ${firstPut.length} changes`, firstPut);
    console.log(
      `    ${host.puts} ruleset loads by the ruleset host; events: ${events.map((e) => `${e.type} ×${e.n}`).join(', ')}` +
        `${missed ? `; ${missed} endpoint(s) never obeyed within ${ROUND_DEADLINE_MS / 1000} s` : ''}`,
    );
  } finally {
    for (const p of procs.reverse()) {
      if (p.exitCode === null) p.kill('SIGTERM');
    }
    await Promise.all(
      procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : Promise.resolve())),
    );
    await endpoints?.remove();
    await host?.close();
    await ds?.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(
  `fabric push bench (${new Date().toISOString()}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
if (process.getuid?.() !== 0) {
  console.log('needs root (network namespaces and nft): nothing measured');
} else {
  if (process.env.PUSH_BENCH_SKIP_PUSH !== '1') await pushFigures();
  if (process.env.PUSH_BENCH_SKIP_SCALE !== '1') await rulesetScale(PREFIX);
}
