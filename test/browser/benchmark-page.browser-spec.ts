import { randomUUID } from 'node:crypto';
import { candidateResult, type RunFigures } from '@switchyard/core/benchmarks';
import pg from 'pg';
import { describeBrowser } from './support/browser.js';
import { useWebStack } from './support/web-stack.js';

// page.evaluate runs in the page; the Node tsconfig has no DOM library (as in support/a11y.ts)
declare const document: any;

const run = (i: number, throughput: number, p95: number): RunFigures => ({
  run: i,
  startedAt: new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString(),
  durationSeconds: 10,
  requests: throughput * 10,
  throughput,
  errors: 0,
  errorRate: 0,
  latencyMs: { p50: p95 / 2, p95, p99: p95 * 1.5, mean: p95 / 2, max: p95 * 2 },
});

/** Parses what the table shows: "1,240" → 1240; "1,180–1,301" → [1180, 1301]; "0.0416 USD" → 0.0416. */
const num = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

// The benchmark page's report against its own table: the scatter's points and whiskers sit where
// the table's figures put them on the chart's axes. The results are seeded (simulated clouds
// measure nothing, by design); the page and its charts are what is under test here.
describeBrowser('the benchmark page in chromium', () => {
  const s = useWebStack();
  let id = '';

  beforeAll(async () => {
    const db = new pg.Client({ connectionString: s.databaseUrl });
    await db.connect();
    try {
      const me = (await s.admin.get('/api/v1/me')).body as { tenant: { id: string } };
      id = randomUUID();
      const slo = { p95Ms: 50 };
      const candidates = [
        {
          label: 'lh (web on lh.quarter)',
          hourly: '0.0125',
          runs: [240, 252, 247, 260, 249].map((t, i) => run(i, t, 38)),
        },
        {
          label: 'lh (web on lh.1)',
          hourly: '0.05',
          runs: [980, 1010, 1003, 995, 1022].map((t, i) => run(i, t, 12)),
        },
        { label: `${s.awsEnv}`, hourly: '0.0832', runs: [] as RunFigures[] },
      ];
      await db.query(
        `INSERT INTO benchmarks (id, tenant_id, blueprint_name, blueprint_version, state, runs, load, slo, request, ranking, requested_by_name, ended_at)
         VALUES ($1, $2, 'three-tier-shop', '1.2.0', 'completed', 5, $3, $4, '{}', $5, 'admin', now())`,
        [
          id,
          me.tenant.id,
          {
            target: 'web',
            method: 'GET',
            path: '/',
            port: 80,
            concurrency: 16,
            requests: 2000,
            warmupSeconds: 2,
            timeoutSeconds: 10,
          },
          slo,
          {
            bestValue: null,
            fastest: null,
            cheapestMeetingSlo: null,
            notes: ['best value (req/s per $/h): seeded note'],
          },
        ],
      );
      for (const [i, c] of candidates.entries()) {
        const cid = randomUUID();
        const result = c.runs.length
          ? candidateResult(c.runs, { hourly: c.hourly, currency: 'USD' }, slo)
          : null;
        await db.query(
          `INSERT INTO benchmark_candidates (id, benchmark_id, tenant_id, position, label, placement, environments, state,
             deployment_id, deployment_order, hourly_cost, currency, result, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', $10, 'USD', $11, $12)`,
          [
            cid,
            id,
            me.tenant.id,
            i,
            c.label,
            { default: 'lh' },
            ['lh'],
            result ? 'measured' : 'not-measurable',
            randomUUID(),
            c.hourly,
            result,
            result ? null : "not measurable here: this environment's instances run no workload",
          ],
        );
        for (const r of c.runs) {
          await db.query(`INSERT INTO benchmark_runs (candidate_id, run, figures) VALUES ($1, $2, $3)`, [
            cid,
            r.run,
            r,
          ]);
        }
      }
    } finally {
      await db.end();
    }
  });

  it('plots each measured candidate where the table says: cost on x, mean throughput on y, the 95% interval as whiskers', async () => {
    const { context, page } = await s.open(s.memberToken);
    try {
      // reachable from the blueprint's page
      await page.goto(`${s.api.url}/catalog/three-tier-shop`);
      await page.getByRole('list', { name: 'Recent benchmarks' }).getByRole('link').first().click();
      await page.waitForURL(`**/benchmarks/${id}`);
      await page.locator('svg[data-chart="scatter"]').waitFor();

      const seen = await page.evaluate(() => {
        const svg = document.querySelector('svg[data-chart="scatter"]');
        const [left, top, width, height] = svg.getAttribute('data-plot').split(',').map(Number);
        const rows = [...document.querySelectorAll('table.bench-table tbody tr')].map((tr: any) => ({
          candidate: tr.getAttribute('data-candidate'),
          mean: tr.querySelector('[data-col="mean"]').textContent,
          ci: tr.querySelector('[data-col="ci"]').textContent,
          hourly: tr.querySelector('[data-col="hourly"]').textContent,
        }));
        const points = [...svg.querySelectorAll('g[data-candidate]')].map((g: any) => ({
          candidate: g.getAttribute('data-candidate'),
          cx: Number(g.querySelector('circle').getAttribute('cx')),
          cy: Number(g.querySelector('circle').getAttribute('cy')),
          y1: Number(g.querySelector('line[data-whisker]').getAttribute('y1')),
          y2: Number(g.querySelector('line[data-whisker]').getAttribute('y2')),
          x1: Number(g.querySelector('line[data-whisker]').getAttribute('x1')),
        }));
        return {
          plot: { left, top, width, height },
          xMax: Number(svg.getAttribute('data-x-max')),
          yMax: Number(svg.getAttribute('data-y-max')),
          rows,
          points,
          slo: document.querySelector('svg[data-chart="latency"] [data-slo]')?.getAttribute('data-slo'),
          valueBars: document.querySelectorAll('svg[data-chart="value"] g[data-candidate]').length,
        };
      });
      const { plot, xMax, yMax } = seen;
      const x = (v: number) => plot.left + (v / xMax) * plot.width;
      const y = (v: number) => plot.top + plot.height - (v / yMax) * plot.height;
      // two measured candidates are points; the unmeasured one is in the table only, with its dashes
      expect(seen.rows.map((r) => r.candidate)).toEqual(['0', '1', '2']);
      expect(seen.points.map((p) => p.candidate)).toEqual(['0', '1']);
      expect(seen.rows[2]).toMatchObject({ mean: '—', ci: '—' });
      for (const p of seen.points) {
        const row = seen.rows.find((r) => r.candidate === p.candidate)!;
        const [low, high] = row.ci.split('–').map(num) as [number, number];
        // the table rounds req/s to the unit: within a unit of the chart's exact figure
        const unit = plot.height / yMax;
        expect(Math.abs(p.cx - x(num(row.hourly)))).toBeLessThan(0.01);
        expect(p.x1).toBeCloseTo(p.cx, 6);
        expect(Math.abs(p.cy - y(num(row.mean)))).toBeLessThanOrEqual(unit * 0.5 + 1e-9);
        expect(Math.abs(Math.max(p.y1, p.y2) - y(low))).toBeLessThanOrEqual(unit * 0.5 + 1e-9);
        expect(Math.abs(Math.min(p.y1, p.y2) - y(high))).toBeLessThanOrEqual(unit * 0.5 + 1e-9);
        // the interval holds the mean, and the whisker the point
        expect(low).toBeLessThan(num(row.mean));
        expect(Math.min(p.y1, p.y2)).toBeLessThan(p.cy);
        expect(Math.max(p.y1, p.y2)).toBeGreaterThan(p.cy);
      }
      // the larger candidate sits higher (more req/s) and further right (dearer)
      expect(seen.points[1]!.cy).toBeLessThan(seen.points[0]!.cy);
      expect(seen.points[1]!.cx).toBeGreaterThan(seen.points[0]!.cx);
      expect(seen.valueBars).toBe(2);
      expect(seen.slo).toBe('50');
      await page.getByText('best value (req/s per $/h): seeded note').waitFor();
      await page.getByText("not measurable here: this environment's instances run no workload").waitFor();
    } finally {
      await context.close();
    }
  });
});
