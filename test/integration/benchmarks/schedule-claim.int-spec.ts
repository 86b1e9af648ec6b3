import { randomUUID } from 'node:crypto';
import { BenchmarkScheduleRepository } from '@switchyard/core/benchmarks';
import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';
import { DataSource } from 'typeorm';
import { migratedDatabase } from '../../support/test-database.js';
import { testEnv } from '../../support/test-env.js';

/** Two workers' reconcile rounds claiming the same due schedule: one gets it, once. */
describe('benchmark schedules: claiming a due repeat on Postgres', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let schedules: BenchmarkScheduleRepository;
  const scheduleId = randomUUID();

  beforeAll(async () => {
    db = await migratedDatabase(testEnv().DATABASE_URL, 'bench_sched');
    ds = new DataSource(dataSourceOptions(db.url, CORE_ENTITIES, MIGRATIONS, { poolSize: 3 }));
    await ds.initialize();
    schedules = new BenchmarkScheduleRepository(ds);
    const [{ id: tenantId }] = (await ds.query(
      `INSERT INTO tenants (name, display_name) VALUES ('sched', '') RETURNING id`,
    )) as [{ id: string }];
    const benchmarkId = randomUUID();
    await ds.query(
      `INSERT INTO benchmarks (id, tenant_id, blueprint_name, blueprint_version, state, runs, load, request,
                               requested_by_name, schedule_id)
       VALUES ($1, $2, 'bp', '1.0.0', 'completed', 1, '{}', '{}', 'test', $3)`,
      [benchmarkId, tenantId, scheduleId],
    );
    await ds.query(
      `INSERT INTO benchmark_schedules (id, tenant_id, template_benchmark_id, every_hours, next_run_at)
       VALUES ($1, $2, $3, 1, now() - interval '1 minute')`,
      [scheduleId, tenantId, benchmarkId],
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('skips a schedule another transaction holds, and once moved on it is no longer due', async () => {
    const first = ds.createQueryRunner();
    const second = ds.createQueryRunner();
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.startTransaction();
      await second.startTransaction();
      const claimedFirst = await schedules.claimDue(first.manager, 10);
      const claimedSecond = await schedules.claimDue(second.manager, 10);
      expect(claimedFirst.map((s) => s.id)).toEqual([scheduleId]);
      expect(claimedFirst[0]!.everyHours).toBe(1);
      expect(claimedSecond).toEqual([]);
      await schedules.advance(first.manager, scheduleId, new Date(Date.now() + 3_600_000));
      await first.commitTransaction();
      await second.commitTransaction();
      const after = await ds.transaction((em) => schedules.claimDue(em, 10));
      expect(after).toEqual([]);
    } finally {
      await Promise.all([first.release(), second.release()]);
    }
  });
});
