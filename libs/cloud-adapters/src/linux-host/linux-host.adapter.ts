import {
  TAG_DEPLOYMENT,
  type CloudAdapter,
  type CloudImage,
  type CloudInstance,
  type CloudNetwork,
  type CloudRegion,
  type CloudZone,
  type CreateInstanceRequest,
  type InstanceState,
  type InstanceType,
  type NetworkSegment,
  type NetworkSpec,
} from '../adapter/cloud-adapter.js';
import { InvalidRequest, isCloudError } from '../adapter/cloud.exception.js';
import {
  defaultRetryPolicy,
  systemClock,
  type PollOptions,
  type RetryClock,
  type RetryPolicy,
} from '../adapter/retry.util.js';
import { uniqueRules, type SecurityPolicy, type SecurityPolicyResult } from '../adapter/security-policy.js';
import { waitForInstanceState } from '../adapter/wait-for-state.util.js';
import type { FetchLike } from '../openstack/keystone.session.js';
import { AgentHttp } from './agent-http.client.js';
import {
  firstHost,
  tagQuery,
  toCloudInstance,
  type AgentHost,
  type AgentInstance,
  type AgentNetwork,
} from './linux-host-wire.js';

/** Connection settings of one Linux host: where its agent listens, and the agent's token. */
export interface LinuxHostAdapterOptions {
  /** e.g. `http://127.0.0.1:7471` (AGENT_LISTEN of the host's agent). */
  agentUrl: string;
  /** The agent's AGENT_TOKEN. */
  token: string;
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** Replaces the HTTP client (unit tests). */
  fetch?: FetchLike;
}

/** What enforces a Linux-host instance's policy: the host agent loads the tenant's nftables ruleset. */
export const LINUX_HOST_ENFORCEMENT = 'nftables';

/**
 * CloudAdapter for a Linux host whose instances are network namespaces, over the host agent's
 * HTTP API (apps/agent). Security groups: none on the wire; every rule of a policy is enforced by
 * the tenant's nftables ruleset inside each instance's namespace, so nothing is unsupported.
 */
export class LinuxHostAdapter implements CloudAdapter {
  readonly provider = 'linux-host' as const;
  private readonly http: AgentHttp;
  private readonly clock: RetryClock;

  constructor(options: LinuxHostAdapterOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = new AgentHttp({
      agentUrl: options.agentUrl,
      token: options.token,
      retry: options.retry ?? defaultRetryPolicy,
      clock: this.clock,
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  close(): Promise<void> {
    // no session: each call carries the token
    return Promise.resolve();
  }

  async validateCredentials(): Promise<void> {
    // /v1/health answers without the token; /v1/host does not
    await this.host();
  }

  async listRegions(): Promise<CloudRegion[]> {
    const { hostId } = await this.host();
    return [{ id: hostId, name: hostId }];
  }

  async listZones(): Promise<CloudZone[]> {
    const { hostId } = await this.host();
    return [{ id: hostId, name: hostId, regionId: hostId, available: true }];
  }

  async listInstanceTypes(): Promise<InstanceType[]> {
    // named by the id the agent takes at create (its `name` is a description), as EC2 names its types
    return (await this.host()).instanceTypes.map((t) => ({ ...t, name: t.id }));
  }

  async listImages(): Promise<CloudImage[]> {
    return (await this.host()).images.map((i) => ({ ...i }));
  }

  async ensureNetwork(spec: NetworkSpec): Promise<CloudNetwork> {
    const segment = segmentOf(spec);
    const gateway = spec.gateway ?? firstHost(spec.cidr);
    if (!gateway) throw invalid('NetworkWithoutGateway', `network ${spec.name}: no gateway for ${spec.cidr}`);
    const made = await this.http.put<AgentNetwork>(`/v1/networks/${encodeURIComponent(spec.name)}`, {
      cidr: spec.cidr,
      gateway,
      encap: segment.encap,
      tag: segment.tag,
    });
    return {
      id: made.name,
      name: made.name,
      cidr: made.cidr,
      ...(made.encap === 'vlan' ? { vlan: made.tag } : {}),
    };
  }

  /** The agent answers InUse (409) while instances are attached; a gone network is deleted. */
  deleteNetwork(id: string): Promise<void> {
    return this.http.delete(`/v1/networks/${encodeURIComponent(id)}`);
  }

  /**
   * Nothing to create on the host: the tenant's compiled nftables ruleset, loaded in every
   * instance's namespace (at boot from its user-data, later by `loadRuleset`), holds every rule,
   * deny rules and priorities included.
   */
  applySecurityPolicy(policy: SecurityPolicy): Promise<SecurityPolicyResult> {
    return Promise.resolve({
      id: `${LINUX_HOST_ENFORCEMENT}:${policy.name}`,
      applied: uniqueRules(policy.rules),
      unsupported: [],
    });
  }

  deleteSecurityPolicy(): Promise<void> {
    return Promise.resolve();
  }

  async createInstance(request: CreateInstanceRequest): Promise<CloudInstance> {
    // a host has no IPAM of its own: the address is the fabric's
    if (!request.privateIp) {
      throw invalid('InstanceWithoutAddress', `instance ${request.name}: a Linux host needs its privateIp`);
    }
    // the agent keys creates by idempotencyKey: a retried create answers the first instance
    const made = await this.http.post<AgentInstance>('/v1/instances', {
      idempotencyKey: request.idempotencyKey,
      name: request.name,
      instanceType: request.instanceType,
      image: request.image,
      network: request.network,
      privateIp: request.privateIp,
      ...(request.userData ? { userData: request.userData } : {}),
      tags: request.tags,
    });
    return toCloudInstance(made);
  }

  async describeInstance(id: string): Promise<CloudInstance> {
    return toCloudInstance(await this.http.get<AgentInstance>(`/v1/instances/${encodeURIComponent(id)}`));
  }

  async describeInstances(tags: Record<string, string>): Promise<CloudInstance[]> {
    const query = tagQuery(tags);
    const found = await this.http.get<AgentInstance[]>(`/v1/instances${query ? `?${query}` : ''}`);
    return found.map(toCloudInstance).filter((i) => i.state !== 'terminated');
  }

  async listManagedInstances(): Promise<CloudInstance[]> {
    const found = await this.http.get<AgentInstance[]>(
      `/v1/instances?managed=${encodeURIComponent(TAG_DEPLOYMENT)}`,
    );
    return found.map(toCloudInstance).filter((i) => i.state !== 'terminated');
  }

  startInstance(id: string): Promise<void> {
    return this.action(id, 'start', ['running', 'pending']);
  }

  stopInstance(id: string): Promise<void> {
    return this.action(id, 'stop', ['stopped', 'stopping']);
  }

  rebootInstance(id: string): Promise<void> {
    return this.action(id, 'reboot', []);
  }

  /** Idempotent on the agent: an unknown id answers 204. */
  terminateInstance(id: string): Promise<void> {
    return this.http.delete(`/v1/instances/${encodeURIComponent(id)}`);
  }

  waitForState(id: string, state: InstanceState, options?: PollOptions): Promise<CloudInstance> {
    return waitForInstanceState(this, id, state, options, this.clock);
  }

  /**
   * Replaces the nftables ruleset inside a running instance's namespace (loaded atomically with
   * `nft -f`): how a policy change reaches a Linux-host instance after its boot.
   */
  loadRuleset(id: string, ruleset: string): Promise<void> {
    return this.http.putText(`/v1/instances/${encodeURIComponent(id)}/ruleset`, 'text/plain', ruleset);
  }

  private host(): Promise<AgentHost> {
    return this.http.get<AgentHost>('/v1/host');
  }

  /** A power action; a refusal because the instance is already where it leads is success. */
  private async action(id: string, action: string, alreadyThere: InstanceState[]): Promise<void> {
    try {
      await this.http.post(`/v1/instances/${encodeURIComponent(id)}/${action}`);
    } catch (error) {
      if (!(isCloudError(error) && error.httpStatus === 409)) throw error;
      const { state } = await this.describeInstance(id);
      if (!alreadyThere.includes(state)) throw error;
    }
  }
}

/** The fabric's segment of the network; a VLAN id alone (no fabric segment) means a VLAN network. */
function segmentOf(spec: NetworkSpec): NetworkSegment {
  if (spec.segment) return spec.segment;
  if (spec.vlan !== undefined) return { encap: 'vlan', tag: spec.vlan };
  throw invalid(
    'NetworkWithoutSegment',
    `network ${spec.name}: a Linux host needs the fabric network's encap and tag (segment or vlan)`,
  );
}

function invalid(code: string, message: string): InvalidRequest {
  return new InvalidRequest({ provider: 'linux-host', cloudCode: code, cloudMessage: message });
}

/** Whether an adapter can take rulesets for its instances (a Linux host's agent). */
export function acceptsRulesets(
  adapter: CloudAdapter,
): adapter is CloudAdapter & Pick<LinuxHostAdapter, 'loadRuleset'> {
  return typeof (adapter as Partial<LinuxHostAdapter>).loadRuleset === 'function';
}
