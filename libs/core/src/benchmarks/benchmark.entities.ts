import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeploymentOrder } from '../deployments/deployment-lifecycle.js';
import type {
  BenchmarkLoad,
  BenchmarkRanking,
  BenchmarkSlo,
  BenchmarkState,
  CandidateResult,
  CandidateState,
  CandidateStep,
  LeftDeployment,
  RunFigures,
} from './benchmark.types.js';

/** A candidate's deployment as the API planned it, ordered by the worker when its turn comes. */
export type PreparedOrder = Omit<DeploymentOrder, 'id'>;

@Entity('benchmarks')
export class BenchmarkEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'blueprint_name', type: 'varchar', length: 64 }) blueprintName!: string;
  @Column({ name: 'blueprint_version', type: 'varchar', length: 64 }) blueprintVersion!: string;
  @Column({ type: 'varchar', length: 16 }) state!: BenchmarkState;
  @Column({ type: 'int' }) runs!: number;
  /** Candidates at once instead of one after another. */
  @Column({ type: 'boolean', default: false }) parallel!: boolean;
  @Column({ type: 'jsonb' }) load!: BenchmarkLoad;
  @Column({ type: 'jsonb', default: {} }) slo!: BenchmarkSlo;
  /** The request as sent, secrets redacted. */
  @Column({ type: 'jsonb' }) request!: Record<string, unknown>;
  @Column({ type: 'jsonb', nullable: true }) ranking!: BenchmarkRanking | null;
  /** Candidate deployments a teardown could not remove. */
  @Column({ name: 'left_behind', type: 'jsonb', default: [] }) leftBehind!: LeftDeployment[];
  @Column({ type: 'text', nullable: true }) failure!: string | null;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy!: string | null;
  @Column({ name: 'requested_by_name', type: 'varchar', length: 100 }) requestedByName!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  /** The schedule that made it (its first benchmark too), if any. */
  @Column({ name: 'schedule_id', type: 'uuid', nullable: true }) scheduleId!: string | null;
}

/** A benchmark repeated every `everyHours`: copies of its template benchmark, started by the worker. */
@Entity('benchmark_schedules')
export class BenchmarkScheduleEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'template_benchmark_id', type: 'uuid' }) templateBenchmarkId!: string;
  @Column({
    name: 'every_hours',
    type: 'numeric',
    precision: 10,
    scale: 4,
    transformer: { to: (v: number) => v, from: Number },
  })
  everyHours!: number;
  @Column({ name: 'next_run_at', type: 'timestamptz' }) nextRunAt!: Date;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('benchmark_candidates')
export class BenchmarkCandidateEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'benchmark_id', type: 'uuid' }) benchmarkId!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) label!: string;
  @Column({ type: 'jsonb' }) placement!: { default: string; tiers?: Record<string, string> };
  @Column({ name: 'instance_types', type: 'jsonb', default: {} }) instanceTypes!: Record<string, string>;
  /** Every environment the candidate uses (history per environment). */
  @Column({ type: 'text', array: true }) environments!: string[];
  @Column({ type: 'varchar', length: 16 }) state!: CandidateState;
  @Column({ type: 'varchar', length: 32, nullable: true }) step!: CandidateStep | null;
  /** Bumped at every step, as a deployment's: a job behind it is stale. */
  @Column({ type: 'int', default: 0 }) seq!: number;
  @Column({ name: 'next_run', type: 'int', default: 0 }) nextRun!: number;
  /** Chosen when the benchmark is created (the secrets are sealed to it). */
  @Column({ name: 'deployment_id', type: 'uuid' }) deploymentId!: string;
  @Column({ name: 'deployment_order', type: 'jsonb' }) deploymentOrder!: PreparedOrder;
  @Column({ name: 'hourly_cost', type: 'varchar', length: 32 }) hourlyCost!: string;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
  @Column({ type: 'jsonb', nullable: true }) result!: CandidateResult | null;
  /** Why it is not measurable, failed or cancelled. */
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'step_started_at', type: 'timestamptz', nullable: true }) stepStartedAt!: Date | null;
}

@Entity('benchmark_runs')
export class BenchmarkRunEntity {
  @PrimaryColumn({ name: 'candidate_id', type: 'uuid' }) candidateId!: string;
  @PrimaryColumn({ type: 'int' }) run!: number;
  @Column({ type: 'jsonb' }) figures!: RunFigures;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
