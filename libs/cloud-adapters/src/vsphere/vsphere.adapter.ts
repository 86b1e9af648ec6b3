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
import { InvalidRequest, NotFound, isCloudError } from '../adapter/cloud.exception.js';
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
import { retrieveByType, retrieveOne, runTask } from './property-collector.js';
import { SoapClient } from './soap.client.js';
import { HttpsSoapTransport, type SoapTransport } from './soap.transport.js';
import { text, MoRef } from './vim25-xml.js';
import { idempotencyKeyOf, toInstance, vmPaths } from './vsphere-inventory.js';
import { deletePortgroup, ensurePortgroup, portgroupById } from './vsphere-network.js';
import { resolvePlacement, type Placement } from './vsphere-placement.js';
import { parseImage, provisionVm, type VmSource } from './vsphere-provision.js';

/** Connection and placement settings of one vCenter (or ESXi) account. */
export interface VsphereAdapterOptions {
  /** SDK endpoint, e.g. https://vcenter.example/sdk */
  url: string;
  username: string;
  password: string;
  /** PEM of the CA that signed vCenter's certificate. */
  caCert?: string;
  /** Skip certificate verification for this connection only. */
  insecure?: boolean;
  /** Names; the first of each kind when absent. */
  datacenter?: string;
  cluster?: string;
  folder?: string;
  /** Datastore for VMs created without a template. */
  datastore?: string;
  switchName?: string;
  /** vSphere has no instance types; these sizes stand for them. */
  sizes?: InstanceType[];
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** Replaces the HTTPS transport (unit tests). */
  transport?: SoapTransport;
}

export const defaultVsphereSizes: InstanceType[] = [
  { id: 'small', name: 'small', cpu: 1, memoryMiB: 2048 },
  { id: 'medium', name: 'medium', cpu: 2, memoryMiB: 4096 },
  { id: 'large', name: 'large', cpu: 4, memoryMiB: 8192 },
];

/** CloudAdapter for vSphere over its vim25 SOAP API. */
export class VsphereAdapter implements CloudAdapter {
  readonly provider = 'vsphere' as const;
  private readonly soap: SoapClient;
  private readonly transport: SoapTransport;
  private readonly policy: RetryPolicy;
  private readonly clock: RetryClock;
  private placementCache: Promise<Placement> | undefined;

  constructor(private readonly options: VsphereAdapterOptions) {
    this.policy = options.retry ?? defaultRetryPolicy;
    this.clock = options.clock ?? systemClock;
    this.transport =
      options.transport ??
      new HttpsSoapTransport({
        url: options.url,
        ...(options.caCert ? { caCert: options.caCert } : {}),
        ...(options.insecure ? { insecure: true } : {}),
        ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
      });
    this.soap = new SoapClient(this.transport, {
      username: options.username,
      password: options.password,
      retry: this.policy,
      clock: this.clock,
    });
  }

  /** Ends the session and closes connections. */
  async close(): Promise<void> {
    await this.soap.logout();
    this.transport.close();
  }

  async validateCredentials(): Promise<void> {
    await withRetry(() => this.soap.login(), this.policy, this.clock);
  }

  async listRegions(): Promise<CloudRegion[]> {
    const dcs = await retrieveByType(this.soap, 'Datacenter', ['name']);
    return dcs.map((dc) => ({ id: dc.ref.value, name: text(dc.props.get('name')) ?? dc.ref.value }));
  }

  async listZones(): Promise<CloudZone[]> {
    const { datacenter } = await this.placement();
    const clusters = await retrieveByType(this.soap, 'ComputeResource', ['name', 'overallStatus']);
    return clusters.map((c) => ({
      id: c.ref.value,
      name: text(c.props.get('name')) ?? c.ref.value,
      regionId: datacenter,
      available: text(c.props.get('overallStatus')) !== 'red',
    }));
  }

  listInstanceTypes(): Promise<InstanceType[]> {
    return Promise.resolve(this.options.sizes ?? defaultVsphereSizes);
  }

  async listImages(): Promise<CloudImage[]> {
    const vms = await retrieveByType(this.soap, 'VirtualMachine', ['name', 'config.template']);
    return vms
      .filter((vm) => text(vm.props.get('config.template')) === 'true')
      .map((vm) => ({ id: vm.ref.value, name: text(vm.props.get('name')) ?? vm.ref.value }));
  }

  async ensureNetwork(spec: NetworkSpec): Promise<CloudNetwork> {
    // look-up and create retry together, so a lost answer never makes a second port group
    return withRetry(
      async () => {
        const {
          key: _k,
          switchUuid: _s,
          ...network
        } = await ensurePortgroup(this.soap, spec, this.options.switchName);
        return network;
      },
      this.policy,
      this.clock,
    );
  }

  async deleteNetwork(id: string): Promise<void> {
    // look-up first on every attempt: a destroy whose answer was lost finds nothing left to do
    await this.retried(() => deletePortgroup(this.soap, id));
  }

  applySecurityPolicy(policy: SecurityPolicy): Promise<SecurityPolicyResult> {
    // plain vSphere (no NSX) has no security groups: every rule goes back to the fabric
    return Promise.resolve({
      id: `vsphere:${policy.name}`,
      applied: [],
      unsupported: policy.rules.map((rule) => ({
        rule,
        reason: 'vSphere port groups have no security groups; enforce in the guest or the fabric',
      })),
    });
  }

  deleteSecurityPolicy(_id: string): Promise<void> {
    // the policy's id is synthetic (`vsphere:<name>`): nothing was made, nothing to remove
    return Promise.resolve();
  }

  async createInstance(request: CreateInstanceRequest): Promise<CloudInstance> {
    return withRetry(() => this.createOnce(request), this.policy, this.clock);
  }

  async describeInstance(id: string): Promise<CloudInstance> {
    const vm = await retrieveOne(this.soap, new MoRef('VirtualMachine', id), vmPaths);
    const instance = vm && toInstance(vm);
    if (!instance) throw this.notFound(`VM ${id} not found`);
    return instance;
  }

  async describeInstances(tags: Record<string, string>): Promise<CloudInstance[]> {
    const vms = await retrieveByType(this.soap, 'VirtualMachine', vmPaths);
    return vms
      .map(toInstance)
      .filter((i): i is CloudInstance => i !== undefined)
      .filter((i) => Object.entries(tags).every(([k, v]) => i.tags[k] === v));
  }

  async listManagedInstances(): Promise<CloudInstance[]> {
    // tags live in one extraConfig JSON value, which no vSphere query can filter on
    const vms = await retrieveByType(this.soap, 'VirtualMachine', vmPaths);
    return vms
      .map(toInstance)
      .filter((i): i is CloudInstance => i !== undefined && Object.hasOwn(i.tags, TAG_DEPLOYMENT));
  }

  async startInstance(id: string): Promise<void> {
    await this.powerTask('PowerOnVM_Task', id);
  }

  async stopInstance(id: string): Promise<void> {
    await this.powerTask('PowerOffVM_Task', id);
  }

  async rebootInstance(id: string): Promise<void> {
    // a hard reset needs no VMware Tools in the guest (RebootGuest does); a repeat is harmless
    await this.retried(() => runTask(this.soap, 'ResetVM_Task', new MoRef('VirtualMachine', id), []));
  }

  async terminateInstance(id: string): Promise<void> {
    await this.retried(() => this.terminateOnce(id));
  }

  private async terminateOnce(id: string): Promise<void> {
    const ref = new MoRef('VirtualMachine', id);
    try {
      const vm = await retrieveOne(this.soap, ref, ['runtime.powerState']);
      if (!vm) return;
      if (text(vm.props.get('runtime.powerState')) === 'poweredOn')
        await this.powerTask('PowerOffVM_Task', id);
      await runTask(this.soap, 'Destroy_Task', ref, []);
    } catch (error) {
      if (!(isCloudError(error) && error.code === 'NotFound')) throw error;
    }
  }

  waitForState(id: string, state: InstanceState, options?: PollOptions): Promise<CloudInstance> {
    return waitForInstanceState(this, id, state, options, this.clock);
  }

  private async createOnce(request: CreateInstanceRequest): Promise<CloudInstance> {
    const found = await this.findByKey(request.idempotencyKey);
    if (found?.state === 'stopped') {
      // a create cut short after the clone (its power-on throttled, or its answer lost) finishes here
      await this.powerTask('PowerOnVM_Task', found.id);
      return this.describeInstance(found.id);
    }
    if (found) return found;
    const size = (this.options.sizes ?? defaultVsphereSizes).find((s) => s.id === request.instanceType);
    if (!size) throw this.invalid('UnknownInstanceType', `no size ${request.instanceType}`);
    let source: VmSource | undefined = parseImage(request.image);
    if (!source) {
      const template = (await this.listImages()).find(
        (t) => t.id === request.image || t.name === request.image,
      );
      if (!template) throw this.notFound(`template ${request.image} not found`);
      source = { template: template.id };
    }
    const network = await portgroupById(this.soap, request.network);
    try {
      const vm = await provisionVm(this.soap, request, source, size, network, await this.placement());
      return await this.describeInstance(vm.value);
    } catch (error) {
      // a concurrent create of the same key won the name: return its VM
      const lost = isCloudError(error) && error.cloudCode === 'DuplicateName';
      const winner = lost ? await this.findByKey(request.idempotencyKey) : undefined;
      if (winner) return winner;
      throw error;
    }
  }

  private async findByKey(key: string): Promise<CloudInstance | undefined> {
    const vms = await retrieveByType(this.soap, 'VirtualMachine', vmPaths);
    const vm = vms.find((v) => idempotencyKeyOf(v) === key);
    return vm && toInstance(vm);
  }

  private async powerTask(method: 'PowerOnVM_Task' | 'PowerOffVM_Task', id: string): Promise<void> {
    await this.retried(async () => {
      try {
        await runTask(this.soap, method, new MoRef('VirtualMachine', id), []);
      } catch (error) {
        // already in the wanted state: the call is idempotent for the caller
        if (!(isCloudError(error) && error.cloudCode === 'InvalidPowerState')) throw error;
      }
    });
  }

  private retried<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(call, this.policy, this.clock);
  }

  private placement(): Promise<Placement> {
    this.placementCache ??= resolvePlacement(this.soap, this.options);
    this.placementCache.catch(() => (this.placementCache = undefined));
    return this.placementCache;
  }

  private notFound(message: string): NotFound {
    return new NotFound({ provider: this.provider, cloudCode: 'NotFound', cloudMessage: message });
  }

  private invalid(code: string, message: string): InvalidRequest {
    return new InvalidRequest({ provider: this.provider, cloudCode: code, cloudMessage: message });
  }
}
