import type { CloudProvider } from './cloud.exception.js';
import type { PollOptions } from './retry.util.js';
import type { SecurityPolicy, SecurityPolicyResult } from './security-policy.js';

export interface CloudRegion {
  id: string;
  name: string;
}

export interface CloudZone {
  id: string;
  name: string;
  regionId: string;
  available: boolean;
}

export interface InstanceType {
  id: string;
  name: string;
  cpu: number;
  memoryMiB: number;
}

export interface CloudImage {
  id: string;
  name: string;
}

/** How the fabric separates a network on the wire: its encapsulation and tag (VLAN id or VNI). */
export interface NetworkSegment {
  encap: 'vlan' | 'vxlan';
  tag: number;
}

export interface NetworkSpec {
  /** Unique per account; the adapter finds an existing network by it. */
  name: string;
  cidr: string;
  vlan?: number;
  /** The fabric's gateway address of the network (clouds with their own router ignore it). */
  gateway?: string;
  /** The fabric network's encap and tag; a Linux host builds its bridge or VXLAN device by it. */
  segment?: NetworkSegment;
}

/** A deployment network as the cloud holds it (VPC subnet, Neutron network, port group). */
export interface CloudNetwork {
  id: string;
  name: string;
  cidr: string;
  vlan?: number;
}

export type InstanceState =
  'pending' | 'running' | 'stopping' | 'stopped' | 'rebooting' | 'terminating' | 'terminated' | 'error';

/** Tags that carry Switchyard's ownership of an instance. */
export const TAG_DEPLOYMENT = 'switchyard:deployment';
export const TAG_TIER = 'switchyard:tier';
export const TAG_INDEX = 'switchyard:index';

export function switchyardTags(deployment: string, tier: string, index: number): Record<string, string> {
  return { [TAG_DEPLOYMENT]: deployment, [TAG_TIER]: tier, [TAG_INDEX]: String(index) };
}

export interface CreateInstanceRequest {
  /** Same key, same instance: a repeated create returns the first one. */
  idempotencyKey: string;
  name: string;
  instanceType: string;
  image: string;
  /** `CloudNetwork.id` */
  network: string;
  privateIp?: string;
  userData?: string;
  /** `SecurityPolicyResult.id`s to attach (clouds without security groups ignore them). */
  securityGroups?: string[];
  tags: Record<string, string>;
}

export interface CloudInstance {
  id: string;
  name: string;
  state: InstanceState;
  instanceType?: string;
  image?: string;
  privateIp?: string;
  tags: Record<string, string>;
}

/**
 * What Switchyard needs from a cloud. Implementations translate every cloud error into a
 * `CloudError` and retry throttling and transient failures themselves.
 */
export interface CloudAdapter {
  readonly provider: CloudProvider;
  /** Resolves when the credentials work; rejects with AuthFailed when the cloud refuses them. */
  validateCredentials(): Promise<void>;
  listRegions(): Promise<CloudRegion[]>;
  /** Zones of the adapter's region (AZs, Nova zones, vSphere clusters). */
  listZones(): Promise<CloudZone[]>;
  listInstanceTypes(): Promise<InstanceType[]>;
  listImages(): Promise<CloudImage[]>;
  /** Finds the network by name or creates it; repeating it is harmless. */
  ensureNetwork(spec: NetworkSpec): Promise<CloudNetwork>;
  /**
   * Removes a network `ensureNetwork` made (`CloudNetwork.id`). Idempotent: a gone network counts
   * as deleted. InUse while instances are still attached.
   */
  deleteNetwork(id: string): Promise<void>;
  /** Creates or updates the policy's security group; returns the rules the cloud cannot express. */
  applySecurityPolicy(policy: SecurityPolicy): Promise<SecurityPolicyResult>;
  /**
   * Removes what `applySecurityPolicy` made (`SecurityPolicyResult.id`). Idempotent. Call it once
   * the group's instances are terminated; InUse while some still hold it.
   */
  deleteSecurityPolicy(id: string): Promise<void>;
  createInstance(request: CreateInstanceRequest): Promise<CloudInstance>;
  describeInstance(id: string): Promise<CloudInstance>;
  /** Instances carrying all the given tags; terminated ones are left out. */
  describeInstances(tags: Record<string, string>): Promise<CloudInstance[]>;
  /**
   * Every instance carrying the `switchyard:deployment` tag, whatever its value (empty included);
   * terminated ones are left out. The reconciler finds orphans among them.
   */
  listManagedInstances(): Promise<CloudInstance[]>;
  startInstance(id: string): Promise<void>;
  stopInstance(id: string): Promise<void>;
  rebootInstance(id: string): Promise<void>;
  /** Idempotent: terminating a gone instance succeeds. */
  terminateInstance(id: string): Promise<void>;
  /** Polls with backoff until the state is reached; DeadlineExceeded after the timeout. */
  waitForState(id: string, state: InstanceState, options?: PollOptions): Promise<CloudInstance>;
  /** Ends the session (where there is one) and releases connections. */
  close(): Promise<void>;
}
