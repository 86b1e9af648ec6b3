import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const ROLES = ['admin', 'operator', 'member'] as const;
/** admin: everything, every tenant; operator: runs its tenant; member: orders and watches. */
export type Role = (typeof ROLES)[number];

@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 64, unique: true }) name!: string;
  @Column({ name: 'display_name', type: 'varchar', length: 200, default: '' }) displayName!: string;
  /** The fabric's `defaultNetwork` of this tenant, '' for none (the fabric owns it). */
  @Column({ name: 'default_network', type: 'varchar', length: 64, default: '' }) defaultNetwork!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('users')
@Index(['tenantId', 'name'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 320, nullable: true }) email!: string | null;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  /**
   * scrypt in PHC form (crypto/password.ts), or null: no password sign-in. Never selected unless
   * asked for, so that no answer can carry it by accident.
   */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash?: string | null;
  /** Set with the password (and null without one). */
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export const TOKEN_KINDS = ['api', 'session'] as const;
/** api: made on purpose, lives until revoked or its expiry; session: issued by a password sign-in. */
export type TokenKind = (typeof TOKEN_KINDS)[number];

@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  @Column({ type: 'varchar', length: 16, default: 'api' }) kind!: TokenKind;
  /**
   * Made for its user by someone else who is not an admin (or from such a token): it acts for the
   * user but cannot set the user's first password.
   */
  @Column({ type: 'boolean', default: false }) delegated!: boolean;
  /** SHA-256 of the token, hex; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true }) tokenHash!: string;
  @Column({ type: 'varchar', length: 12 }) hint!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
}

@Entity('audit_log')
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true }) actorUserId!: string | null;
  @Column({ name: 'actor_token_id', type: 'uuid', nullable: true }) actorTokenId!: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 100 }) actorName!: string;
  @Column({ type: 'varchar', length: 100 }) action!: string;
  @Column({ name: 'resource_type', type: 'varchar', length: 64 }) resourceType!: string;
  @Column({ name: 'resource_id', type: 'varchar', length: 200 }) resourceId!: string;
  @Column({ type: 'jsonb', nullable: true }) before!: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) after!: Record<string, unknown> | null;
  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true }) requestId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export const SELF_CHECK_STATUSES = ['queued', 'passed', 'degraded', 'failed'] as const;
export type SelfCheckStatus = (typeof SELF_CHECK_STATUSES)[number];

/** What the worker checks, in this order. */
export const SELF_CHECK_NAMES = ['postgres', 'redis', 'queues'] as const;
export const SELF_CHECK_VERDICTS = ['pass', 'warn', 'fail'] as const;

/** One check as the worker stores it in `self_checks.result.checks` (and the API returns it). */
export interface SelfCheckItem {
  name: (typeof SELF_CHECK_NAMES)[number];
  status: (typeof SELF_CHECK_VERDICTS)[number];
  /** How long the check took, in milliseconds (one decimal). */
  latencyMs: number;
  message: string;
  /** What the check read: versions, pending migrations, queue counts and workers. */
  details: Record<string, unknown>;
}

/** `self_checks.result`: written once by the worker that ran the checks. */
export interface SelfCheckResult {
  checks: SelfCheckItem[];
  worker: { id: string; attempt: number };
}

@Entity('self_checks')
export class SelfCheckEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: SelfCheckStatus;
  @Column({ type: 'jsonb', nullable: true }) result!: SelfCheckResult | null;
  @Column({ name: 'worker_id', type: 'varchar', length: 200, nullable: true }) workerId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
}

/** One row per job whose effects were committed: the worker's exactly-once ledger. */
@Entity('job_executions')
export class JobExecutionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) queue!: string;
  @PrimaryColumn({ name: 'job_id', type: 'varchar', length: 200 }) jobId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ name: 'worker_id', type: 'varchar', length: 200 }) workerId!: string;
  @Column({ type: 'int' }) attempt!: number;
  @Column({ name: 'completed_at', type: 'timestamptz' }) completedAt!: Date;
}

import {
  BenchmarkCandidateEntity,
  BenchmarkEntity,
  BenchmarkRunEntity,
  BenchmarkScheduleEntity,
} from '../benchmarks/benchmark.entities.js';
import {
  DeploymentEntity,
  DeploymentEventEntity,
  DeploymentInstanceEntity,
} from '../deployments/deployment.entities.js';
import { CloudAccountEntity, CloudOrphanEntity, EnvironmentEntity } from './cloud.entities.js';

export const CORE_ENTITIES = [
  CloudAccountEntity,
  CloudOrphanEntity,
  EnvironmentEntity,
  DeploymentEntity,
  DeploymentInstanceEntity,
  DeploymentEventEntity,
  BenchmarkEntity,
  BenchmarkCandidateEntity,
  BenchmarkRunEntity,
  BenchmarkScheduleEntity,
  TenantEntity,
  UserEntity,
  ApiTokenEntity,
  AuditLogEntity,
  SelfCheckEntity,
  JobExecutionEntity,
];
