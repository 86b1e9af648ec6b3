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
  type NetworkSpec,
} from '../adapter/cloud-adapter.js';
import { NotFound, isCloudError } from '../adapter/cloud.exception.js';
import { collectPages } from '../adapter/paginate.util.js';
import {
  defaultRetryPolicy,
  systemClock,
  withRetry,
  type PollOptions,
  type RetryClock,
  type RetryPolicy,
} from '../adapter/retry.util.js';
import type { SecurityPolicy, SecurityPolicyResult } from '../adapter/security-policy.js';
import { waitForInstanceState } from '../adapter/wait-for-state.util.js';
import {
  KeystoneSession,
  type FetchLike,
  type OpenStackCredentials,
  type ServiceType,
} from './keystone.session.js';
import { OpenStackHttp } from './openstack-http.client.js';
import {
  deleteNeutronNetwork,
  deletePorts,
  ensureNeutronNetwork,
  ensurePort,
  portName,
} from './openstack-network.js';
import { syncSecurityGroup } from './openstack-security-group.js';
import { tlsFetch } from './tls-fetch.util.js';
import {
  META_IDEMPOTENCY_KEY,
  META_PORT,
  escapeRegex,
  nextQuery,
  toInstance,
  type NovaServer,
} from './openstack-server.mapper.js';

/** Connection settings of one OpenStack project. */
export interface OpenStackAdapterOptions {
  authUrl: string;
  credentials: OpenStackCredentials;
  region?: string;
  endpointOverrides?: Partial<Record<ServiceType, string>>;
  /** Physical network for VLAN provider networks; without it a network's VLAN is not applied. */
  vlanPhysicalNetwork?: string;
  /** PEM of the CA that signed the services' certificates; trusted instead of the system store. */
  caCert?: string;
  /** Skip certificate verification for this connection only. */
  insecure?: boolean;
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** Replaces the HTTP client (unit tests); `caCert` and `insecure` then do not apply. */
  fetch?: FetchLike;
}

/** CloudAdapter for OpenStack (Keystone v3, Nova, Neutron, Glance) on a small client of our own. */
export class OpenStackAdapter implements CloudAdapter {
  readonly provider = 'openstack' as const;
  private readonly session: KeystoneSession;
  private readonly http: OpenStackHttp;
  private readonly policy: RetryPolicy;
  private readonly clock: RetryClock;
  private readonly closeSockets: () => void = () => undefined;

  constructor(private readonly options: OpenStackAdapterOptions) {
    this.policy = options.retry ?? defaultRetryPolicy;
    this.clock = options.clock ?? systemClock;
    let httpFetch = options.fetch;
    if (!httpFetch && (options.caCert || options.insecure)) {
      // the platform's fetch takes no CA of its own: node:https with this connection's trust
      const tls = tlsFetch({
        ...(options.caCert ? { caCert: options.caCert } : {}),
        ...(options.insecure ? { insecure: true } : {}),
      });
      httpFetch = tls.fetch;
      this.closeSockets = tls.close;
    }
    const common = {
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(httpFetch ? { fetch: httpFetch } : {}),
    };
    this.session = new KeystoneSession({
      authUrl: options.authUrl,
      credentials: options.credentials,
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpointOverrides ? { endpointOverrides: options.endpointOverrides } : {}),
      clock: this.clock,
      ...common,
    });
    this.http = new OpenStackHttp({
      session: this.session,
      retry: this.policy,
      clock: this.clock,
      ...common,
    });
  }

  close(): Promise<void> {
    // tokens simply expire; fetch's pooled sockets close themselves when idle, ours are closed here
    this.session.invalidate();
    this.closeSockets();
    return Promise.resolve();
  }

  async validateCredentials(): Promise<void> {
    this.session.invalidate();
    await withRetry(() => this.session.authToken(), this.policy, this.clock);
  }

  async listRegions(): Promise<CloudRegion[]> {
    const out = await this.http.get<{ regions: Array<{ id: string }> }>('identity', '/regions');
    return out.regions.map((r) => ({ id: r.id, name: r.id }));
  }

  async listZones(): Promise<CloudZone[]> {
    const out = await this.http.get<{
      availabilityZoneInfo: Array<{ zoneName: string; zoneState: { available: boolean } }>;
    }>('compute', '/os-availability-zone');
    return out.availabilityZoneInfo.map((z) => ({
      id: z.zoneName,
      name: z.zoneName,
      regionId: this.options.region ?? 'RegionOne',
      available: z.zoneState.available,
    }));
  }

  async listInstanceTypes(): Promise<InstanceType[]> {
    const flavors = await collectPages(async (query) => {
      const out = await this.http.get<{
        flavors: Array<{ id: string; name: string; vcpus: number; ram: number }>;
        flavors_links?: Array<{ rel: string; href: string }>;
      }>('compute', `/flavors/detail${query ?? '?limit=100'}`);
      return { items: out.flavors, next: nextQuery(out.flavors_links) };
    });
    return flavors.map((f) => ({ id: f.id, name: f.name, cpu: f.vcpus, memoryMiB: f.ram }));
  }

  async listImages(): Promise<CloudImage[]> {
    const images = await collectPages(async (next) => {
      const out = await this.http.get<{ images: Array<{ id: string; name: string | null }>; next?: string }>(
        'image',
        next ?? '/v2/images?limit=100',
      );
      return { items: out.images, next: out.next };
    });
    return images.map((i) => ({ id: i.id, name: i.name ?? i.id }));
  }

  async ensureNetwork(spec: NetworkSpec): Promise<CloudNetwork> {
    return withRetry(
      () => ensureNeutronNetwork(this.http, spec, this.options.vlanPhysicalNetwork),
      this.policy,
      this.clock,
    );
  }

  deleteNetwork(id: string): Promise<void> {
    return deleteNeutronNetwork(this.http, id, async () => {
      const servers = await this.listServers('');
      return new Set(servers.flatMap((s) => s.metadata?.[META_PORT] ?? []));
    });
  }

  applySecurityPolicy(policy: SecurityPolicy): Promise<SecurityPolicyResult> {
    return withRetry(() => syncSecurityGroup(this.http, policy), this.policy, this.clock);
  }

  /** Neutron answers SecurityGroupInUse while a port still carries the group. */
  deleteSecurityPolicy(id: string): Promise<void> {
    return this.http.delete('network', `/v2.0/security-groups/${encodeURIComponent(id)}`);
  }

  async createInstance(request: CreateInstanceRequest): Promise<CloudInstance> {
    // look-up and create retry together: a create whose answer was lost is found, not repeated
    return withRetry(() => this.createOnce(request), this.policy, this.clock);
  }

  async describeInstance(id: string): Promise<CloudInstance> {
    const out = await this.http.get<{ server: NovaServer }>('compute', `/servers/${encodeURIComponent(id)}`);
    return toInstance(out.server);
  }

  async describeInstances(tags: Record<string, string>): Promise<CloudInstance[]> {
    const servers = await this.listServers('');
    return servers
      .filter((s) => Object.entries(tags).every(([k, v]) => s.metadata?.[k] === v))
      .map(toInstance)
      .filter((i) => i.state !== 'terminated');
  }

  async listManagedInstances(): Promise<CloudInstance[]> {
    // Nova filters servers by name, not by metadata: the key is checked here
    const servers = await this.listServers('');
    return servers
      .filter((s) => s.metadata !== undefined && Object.hasOwn(s.metadata, TAG_DEPLOYMENT))
      .map(toInstance)
      .filter((i) => i.state !== 'terminated');
  }

  startInstance(id: string): Promise<void> {
    return this.action(id, { 'os-start': null }, ['running']);
  }

  stopInstance(id: string): Promise<void> {
    return this.action(id, { 'os-stop': null }, ['stopped', 'stopping']);
  }

  rebootInstance(id: string): Promise<void> {
    return this.action(id, { reboot: { type: 'SOFT' } }, ['rebooting']);
  }

  async terminateInstance(id: string): Promise<void> {
    let port: string | undefined;
    try {
      port = (await this.http.get<{ server: NovaServer }>('compute', `/servers/${encodeURIComponent(id)}`))
        .server.metadata?.[META_PORT];
    } catch (error) {
      if (!(isCloudError(error) && error.code === 'NotFound')) throw error;
      return;
    }
    await this.http.delete('compute', `/servers/${encodeURIComponent(id)}`);
    // our port outlives the server otherwise, holding its fixed address
    if (port) await deletePorts(this.http, port);
  }

  waitForState(id: string, state: InstanceState, options?: PollOptions): Promise<CloudInstance> {
    return waitForInstanceState(this, id, state, options, this.clock);
  }

  private async createOnce(request: CreateInstanceRequest): Promise<CloudInstance> {
    const sameName = await this.listServers(`&name=${encodeURIComponent(`^${escapeRegex(request.name)}$`)}`);
    const previous = sameName.find((s) => s.metadata?.[META_IDEMPOTENCY_KEY] === request.idempotencyKey);
    if (previous) return toInstance(previous);
    const flavor = await this.flavorId(request.instanceType);
    const port = await ensurePort(this.http, {
      name: portName(request.idempotencyKey),
      network: request.network,
      ...(request.privateIp ? { privateIp: request.privateIp } : {}),
      ...(request.securityGroups ? { securityGroups: request.securityGroups } : {}),
    });
    const created = await this.http.post<{ server: { id: string } }>('compute', '/servers', {
      server: {
        name: request.name,
        flavorRef: flavor,
        imageRef: request.image,
        // explicit networks: with several networks in the project Nova refuses to guess
        networks: [{ port: port.id }],
        metadata: {
          ...request.tags,
          [META_IDEMPOTENCY_KEY]: request.idempotencyKey,
          [META_PORT]: portName(request.idempotencyKey),
        },
        ...(request.userData ? { user_data: Buffer.from(request.userData).toString('base64') } : {}),
      },
    });
    return this.describeInstance(created.server.id);
  }

  private async flavorId(nameOrId: string): Promise<string> {
    const flavors = await this.listInstanceTypes();
    const flavor = flavors.find((f) => f.id === nameOrId || f.name === nameOrId);
    if (!flavor) {
      throw new NotFound({
        provider: this.provider,
        cloudCode: 'FlavorNotFound',
        cloudMessage: `no flavor ${nameOrId}`,
      });
    }
    return flavor.id;
  }

  private listServers(filter: string): Promise<NovaServer[]> {
    return collectPages(async (query) => {
      const out = await this.http.get<{
        servers: NovaServer[];
        servers_links?: Array<{ rel: string; href: string }>;
      }>('compute', `/servers/detail${query ?? `?limit=100${filter}`}`);
      return { items: out.servers, next: nextQuery(out.servers_links) };
    });
  }

  /** A server action; a 409 because the server is already where the action leads is success. */
  private async action(id: string, body: object, alreadyThere: InstanceState[]): Promise<void> {
    await withRetry(
      async () => {
        try {
          await this.http.post('compute', `/servers/${encodeURIComponent(id)}/action`, body);
        } catch (error) {
          if (!(isCloudError(error) && error.httpStatus === 409)) throw error;
          const { state } = await this.describeInstance(id);
          if (!alreadyThere.includes(state)) throw error;
        }
      },
      this.policy,
      this.clock,
    );
  }
}
