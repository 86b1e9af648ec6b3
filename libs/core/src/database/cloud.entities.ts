import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const CLOUD_PROVIDERS = ['aws-ec2', 'openstack', 'vsphere', 'linux-host'] as const;
export type CloudProviderName = (typeof CLOUD_PROVIDERS)[number];

/** The verdict of the last connection test. */
export interface CloudAccountTest {
  ok: boolean;
  at: string;
  latencyMs: number;
  message: string;
  cloudCode?: string;
}

/** What the last sync found in the cloud. */
export interface CloudInventory {
  regions: { id: string; name: string }[];
  instanceTypes: { name: string; cpu: number; memoryMiB: number }[];
  images: { id: string; name: string }[];
}

@Entity('cloud_accounts')
export class CloudAccountEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) provider!: CloudProviderName;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  @Column({ type: 'boolean' }) simulated!: boolean;
  /** Connection settings that are not secret (region, endpoint, datacenter…). */
  @Column({ type: 'jsonb' }) settings!: Record<string, unknown>;
  /** Credentials sealed with the keyring (AES-256-GCM, the account id as associated data). */
  @Column({ name: 'secret_key_id', type: 'varchar', length: 32 }) secretKeyId!: string;
  @Column({ name: 'secret_data', type: 'text' }) secretData!: string;
  /** How the credentials are shown back: masked, never the values. */
  @Column({ name: 'masked_credentials', type: 'jsonb' }) maskedCredentials!: Record<string, string>;
  @Column({ name: 'last_test', type: 'jsonb', nullable: true }) lastTest!: CloudAccountTest | null;
  @Column({ type: 'jsonb', nullable: true }) inventory!: CloudInventory | null;
  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true }) syncedAt!: Date | null;
  /** The reconciler terminates orphans it finds on this account (otherwise it only reports them). */
  @Column({ name: 'remove_orphans', type: 'boolean', default: false }) removeOrphans!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** An instance tagged as Switchyard's that no deployment owns, as the reconciler found it. */
@Entity('cloud_orphans')
export class CloudOrphanEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  /** The environment whose connection (region, datacenter) saw it. */
  @Column({ type: 'varchar', length: 64 }) environment!: string;
  @Column({ name: 'cloud_id', type: 'varchar', length: 200 }) cloudId!: string;
  @Column({ type: 'varchar', length: 255 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) state!: string;
  @Column({ type: 'jsonb' }) tags!: Record<string, string>;
  /** Why it is an orphan: no such deployment, deployment ended, instance not in the deployment. */
  @Column({ type: 'varchar', length: 200 }) reason!: string;
  @Column({ name: 'first_seen_at', type: 'timestamptz' }) firstSeenAt!: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt!: Date;
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true }) removedAt!: Date | null;
}

/** One instance type's price; decimal strings, never floats. */
export interface PricedInstanceType {
  name: string;
  cpu: number;
  memoryMiB: number;
  hourlyPrice: string;
}

/** Prices of an environment: a list per instance type, and/or a rate card that prices any size. */
export interface PriceList {
  currency: string;
  source: string;
  /** ISO date the prices were taken. */
  date: string;
  instanceTypes: PricedInstanceType[];
  rateCard?: { vcpuHour: string; gibRamHour: string; gibDiskMonth: string };
  storageGiBMonthPrice?: string;
}

export interface EnvironmentImage {
  os: string;
  version: string;
  imageId: string;
}

@Entity('environments')
export class EnvironmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  /** Usable by every tenant (set by admins, e.g. the demo environments). */
  @Column({ type: 'boolean' }) shared!: boolean;
  @Column({ name: 'account_id', type: 'uuid' }) accountId!: string;
  @Column({ type: 'varchar', length: 64 }) region!: string;
  /** Where deployments go inside the account: VPC, external network, datacenter/cluster/folder… */
  @Column({ type: 'jsonb' }) placement!: Record<string, string>;
  @Column({ type: 'jsonb' }) images!: EnvironmentImage[];
  @Column({ name: 'price_list', type: 'jsonb' }) priceList!: PriceList;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
