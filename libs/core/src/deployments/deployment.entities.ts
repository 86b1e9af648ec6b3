import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { DeploymentState, DeploymentStep } from './deployment-states.js';

/** Why a deployment failed: the step, the tier, the cloud and the cloud's own error. */
export interface DeploymentFailure {
  step: DeploymentStep;
  tier?: string;
  environment?: string;
  provider?: string;
  cloudCode?: string;
  message: string;
  /** A rollback or terminate that could not finish: the instances it left, for an operator. */
  left?: LeftInstance[];
  /** For a failed rollback: the failure that started it. */
  cause?: DeploymentFailure;
}

/** An instance a removal could not remove; `cloudId` null when its create's answer never came. */
export interface LeftInstance {
  tier: string;
  index: number;
  environment: string;
  provider: string;
  cloudId: string | null;
}

/**
 * What enforces a rule: the tier's security group on its cloud, and nftables in the tier's VMs
 * (their cloud-init loads the instance's ruleset, the policy pull keeps it current).
 */
export type EnforcementMechanism = 'security-group' | 'nftables';

export interface RuleEnforcement {
  ruleId: string;
  /** As a person reads it, e.g. `c1-tcp-5432: allow in tcp/5432 from group app`. */
  text: string;
  /** Never empty on a deployment that got past its network step (a rule nothing enforces fails it). */
  mechanisms: EnforcementMechanism[];
  /** Why the security group does not enforce the rule, when it does not. */
  securityGroupGap?: string;
}

/** The enforcement of one tier's policy. */
export interface TierEnforcement {
  tier: string;
  environment: string;
  /** The cloud provider of the environment (`aws-ec2`, `openstack`, `vsphere`). */
  cloud: string;
  /** The cloud's id of the tier's security group. */
  securityGroup: string;
  rules: RuleEnforcement[];
}

/** A placement a strategy chose from the latest benchmark results, and why. */
export interface PlacementChoice {
  strategy: string;
  among: string[];
  reason: string;
  /** Instance types per tier of the winning candidate (empty: as planned). */
  instanceTypes: Record<string, string>;
  /** The benchmarks whose results decided. */
  benchmarkIds: string[];
}

/** Per environment: the fabric network, its subnet and what the cloud made of it. */
export interface DeploymentNetwork {
  fabricNetwork: string;
  subnet: string;
  gateway: string;
  cloudNetworkId: string;
  /** Security group per tier placed in this environment. */
  securityGroups: Record<string, string>;
  /**
   * Per tier placed here: which mechanism enforces each rule of its policy. Absent on deployments
   * made before enforcement was recorded.
   */
  enforcement?: Record<string, TierEnforcement>;
  /** Removed from the cloud by a teardown: the subnet may be given to another deployment. */
  released?: boolean;
}

@Entity('deployments')
export class DeploymentEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 32 }) state!: DeploymentState;
  /** Bumped at every step; a job whose seq is behind is stale, ahead is not committed yet. */
  @Column({ type: 'int' }) seq!: number;
  @Column({ type: 'varchar', length: 32 }) step!: DeploymentStep;
  @Column({ name: 'blueprint_name', type: 'varchar', length: 64 }) blueprintName!: string;
  @Column({ name: 'blueprint_version', type: 'varchar', length: 64 }) blueprintVersion!: string;
  /** The expanded blueprint as ordered (later catalog changes do not touch a deployment). */
  @Column({ type: 'jsonb' }) blueprint!: Record<string, unknown>;
  /** Parameter values with secrets replaced by stars; the secrets are sealed below. */
  @Column({ type: 'jsonb' }) parameters!: Record<string, unknown>;
  @Column({ name: 'secret_key_id', type: 'varchar', length: 32, nullable: true }) secretKeyId!: string | null;
  @Column({ name: 'secret_data', type: 'text', nullable: true }) secretData!: string | null;
  @Column({ type: 'jsonb' }) placement!: {
    default: string;
    tiers?: Record<string, string>;
    /** Chosen by a strategy from benchmark results, and why. */
    choice?: PlacementChoice;
  };
  @Column({ type: 'jsonb' }) plan!: Record<string, unknown>;
  @Column({ type: 'jsonb' }) networks!: Record<string, DeploymentNetwork>;
  @Column({ type: 'jsonb' }) outputs!: Record<string, string>;
  @Column({ type: 'jsonb', nullable: true }) failure!: DeploymentFailure | null;
  @Column({ name: 'rollback_on_failure', type: 'boolean' }) rollbackOnFailure!: boolean;
  @Column({ name: 'lease_hours', type: 'int', nullable: true }) leaseHours!: number | null;
  /** Free labels, e.g. `benchmark: <id>` on a benchmark's candidate deployments. */
  @Column({ type: 'jsonb', default: {} }) labels!: Record<string, string>;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy!: string | null;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true }) idempotencyKey!:
    string | null;
  @Column({ name: 'request_hash', type: 'char', length: 64, nullable: true }) requestHash!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'running_at', type: 'timestamptz', nullable: true }) runningAt!: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}

/**
 * `planned`: the row and its fabric address exist (the provision step takes every address before
 * it creates anything) but nothing was sent to a cloud yet; it bills nothing, and a removal deletes it.
 */
export type InstanceRowState =
  | 'planned'
  | 'creating'
  | 'pending'
  | 'running'
  | 'stopped'
  | 'terminating'
  | 'terminated'
  | 'missing'
  | 'error';

@Entity('deployment_instances')
export class DeploymentInstanceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'deployment_id', type: 'uuid' }) deploymentId!: string;
  @Column({ type: 'varchar', length: 64 }) tier!: string;
  @Column({ type: 'int' }) index!: number;
  @Column({ type: 'varchar', length: 64 }) environment!: string;
  @Column({ type: 'varchar', length: 16 }) provider!: string;
  /**
   * Derived from deployment, tier, index and how many instances that index had before (a scale
   * down and up again): a repeated create adopts the first instance, a new one at a freed index
   * is a new instance.
   */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 100 }) idempotencyKey!: string;
  @Column({ name: 'cloud_id', type: 'varchar', length: 200, nullable: true }) cloudId!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) address!: string | null;
  @Column({ type: 'varchar', length: 16 }) state!: InstanceRowState;
  /** The ETag of the nftables ruleset the instance was last given (at create, or pushed to its host). */
  @Column({ name: 'ruleset_etag', type: 'varchar', length: 80, nullable: true }) rulesetEtag!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('deployment_events')
export class DeploymentEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ name: 'deployment_id', type: 'uuid' }) deploymentId!: string;
  @Column({ type: 'varchar', length: 32 }) type!: string;
  @Column({ type: 'text' }) message!: string;
  @Column({ type: 'jsonb' }) data!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
