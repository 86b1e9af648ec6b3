import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Benchmark schedules: a benchmark that repeats every so many hours. The worker's reconcile round
 * starts a copy of the schedule's first benchmark when one is due; each benchmark made by a schedule
 * names it (`schedule_id`).
 */
export class BenchmarkSchedules1766300000000 implements MigrationInterface {
  name = 'BenchmarkSchedules1766300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE benchmark_schedules (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        template_benchmark_id uuid NOT NULL REFERENCES benchmarks(id) ON DELETE CASCADE,
        every_hours numeric(10, 4) NOT NULL,
        next_run_at timestamptz NOT NULL,
        requested_by uuid,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await db.query(`CREATE INDEX benchmark_schedules_due ON benchmark_schedules (next_run_at)`);
    await db.query(
      `CREATE INDEX benchmark_schedules_tenant ON benchmark_schedules (tenant_id, created_at, id)`,
    );
    await db.query(`ALTER TABLE benchmarks ADD COLUMN schedule_id uuid`);
    await db.query(
      `CREATE INDEX benchmarks_schedule ON benchmarks (schedule_id) WHERE schedule_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE benchmarks DROP COLUMN schedule_id`);
    await db.query(`DROP TABLE benchmark_schedules`);
  }
}
