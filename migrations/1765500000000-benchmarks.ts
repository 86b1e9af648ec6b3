import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Benchmarks (issue 18): a benchmark, its candidates (each a placement deployed, measured and torn
 * down by a chain of jobs) and their measured runs. Deployments get labels (a benchmark's
 * deployments carry `benchmark: <id>`).
 */
export class Benchmarks1765500000000 implements MigrationInterface {
  name = 'Benchmarks1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE deployments ADD COLUMN labels jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`
      CREATE TABLE benchmarks (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        blueprint_name varchar(64) NOT NULL,
        blueprint_version varchar(64) NOT NULL,
        state varchar(16) NOT NULL,
        runs int NOT NULL,
        parallel boolean NOT NULL DEFAULT false,
        load jsonb NOT NULL,
        slo jsonb NOT NULL DEFAULT '{}',
        request jsonb NOT NULL,
        ranking jsonb,
        left_behind jsonb NOT NULL DEFAULT '[]',
        failure text,
        requested_by uuid,
        requested_by_name varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        ended_at timestamptz
      )`);
    await db.query(`CREATE INDEX benchmarks_tenant_created ON benchmarks (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX benchmarks_blueprint ON benchmarks (tenant_id, blueprint_name, created_at)`);
    await db.query(`
      CREATE TABLE benchmark_candidates (
        id uuid PRIMARY KEY,
        benchmark_id uuid NOT NULL REFERENCES benchmarks(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
        position int NOT NULL,
        label varchar(200) NOT NULL,
        placement jsonb NOT NULL,
        instance_types jsonb NOT NULL DEFAULT '{}',
        environments text[] NOT NULL,
        state varchar(16) NOT NULL,
        step varchar(32),
        seq int NOT NULL DEFAULT 0,
        next_run int NOT NULL DEFAULT 0,
        deployment_id uuid NOT NULL,
        deployment_order jsonb NOT NULL,
        hourly_cost varchar(32) NOT NULL,
        currency varchar(3) NOT NULL,
        result jsonb,
        reason text,
        step_started_at timestamptz,
        UNIQUE (benchmark_id, position)
      )`);
    await db.query(
      `CREATE INDEX benchmark_candidates_environments ON benchmark_candidates USING gin (environments)`,
    );
    await db.query(`
      CREATE TABLE benchmark_runs (
        candidate_id uuid NOT NULL REFERENCES benchmark_candidates(id) ON DELETE CASCADE,
        run int NOT NULL,
        figures jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        PRIMARY KEY (candidate_id, run)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE benchmark_runs`);
    await db.query(`DROP TABLE benchmark_candidates`);
    await db.query(`DROP TABLE benchmarks`);
    await db.query(`ALTER TABLE deployments DROP COLUMN labels`);
  }
}
