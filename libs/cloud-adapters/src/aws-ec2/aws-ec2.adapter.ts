import {
  CreateSubnetCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
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
import {
  CloudErrorCode,
  InUse,
  InvalidRequest,
  NotFound,
  isCloudError,
  type CloudError,
} from '../adapter/cloud.exception.js';
import { collectPages } from '../adapter/paginate.util.js';
import { waitForInstanceState } from '../adapter/wait-for-state.util.js';
import {
  defaultRetryPolicy,
  systemClock,
  withRetry,
  type PollOptions,
  type RetryClock,
  type RetryPolicy,
} from '../adapter/retry.util.js';
import { type SecurityPolicy, type SecurityPolicyResult } from '../adapter/security-policy.js';
import { mapAwsError } from './aws-ec2-error.mapper.js';
import { syncSecurityGroup } from './aws-ec2-security-group.js';

/** Connection settings of one AWS account and region. */
export interface AwsEc2AdapterOptions {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Another EC2 endpoint (moto, a VPC endpoint). */
  endpoint?: string;
  /** VPC that deployment subnets go into; the account's default VPC when absent. */
  vpcId?: string;
  /** Image owners listed by listImages (`self`, `amazon`, account ids). */
  imageOwners?: string[];
  /** A call that gets no answer within this time fails as Unavailable (and is retried). */
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  /** How long a delete waits for a subnet or security group that instances still hold. */
  inUseRetry?: RetryPolicy;
  clock?: RetryClock;
}

// a just-terminated instance may hold its subnet and groups a few seconds more on real AWS
const defaultInUseRetry: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 4_000 };

// every state but terminated: what still holds a subnet or a security group
const liveStates: Filter = {
  Name: 'instance-state-name',
  Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'],
};

const isInUse = (error: unknown): error is CloudError =>
  isCloudError(error) && error.code === CloudErrorCode.InUse;

// the instance tag that makes a create idempotent where ClientToken is not honoured (moto)
export const TAG_IDEMPOTENCY_KEY = 'switchyard:idempotency-key';

const stateMap: Record<string, InstanceState> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'shutting-down': 'terminating',
  terminated: 'terminated',
};

/** CloudAdapter for AWS EC2 on the AWS SDK v3. */
export class AwsEc2Adapter implements CloudAdapter {
  readonly provider = 'aws-ec2' as const;
  private readonly ec2: EC2Client;
  private readonly policy: RetryPolicy;
  private readonly clock: RetryClock;
  private defaultVpc: Promise<string> | undefined;

  constructor(private readonly options: AwsEc2AdapterOptions) {
    this.ec2 = new EC2Client({
      region: options.region,
      credentials: options.credentials,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      // our own retry (withRetry) owns backoff, so the SDK must not retry underneath it
      maxAttempts: 1,
      requestHandler: {
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        throwOnRequestTimeout: true,
        connectionTimeout: 5_000,
      },
    });
    this.policy = options.retry ?? defaultRetryPolicy;
    this.clock = options.clock ?? systemClock;
  }

  close(): Promise<void> {
    this.ec2.destroy();
    return Promise.resolve();
  }

  async validateCredentials(): Promise<void> {
    await this.call(() => this.ec2.send(new DescribeRegionsCommand({})));
  }

  async listRegions(): Promise<CloudRegion[]> {
    const out = await this.call(() => this.ec2.send(new DescribeRegionsCommand({})));
    return (out.Regions ?? []).map((r) => ({ id: r.RegionName ?? '', name: r.RegionName ?? '' }));
  }

  async listZones(): Promise<CloudZone[]> {
    const out = await this.call(() => this.ec2.send(new DescribeAvailabilityZonesCommand({})));
    return (out.AvailabilityZones ?? []).map((z) => ({
      id: z.ZoneId ?? z.ZoneName ?? '',
      name: z.ZoneName ?? '',
      regionId: z.RegionName ?? this.options.region,
      available: z.State === 'available',
    }));
  }

  async listInstanceTypes(): Promise<InstanceType[]> {
    const types = await collectPages(async (NextToken) => {
      const out = await this.call(() =>
        this.ec2.send(new DescribeInstanceTypesCommand({ NextToken, MaxResults: 100 })),
      );
      return { items: out.InstanceTypes ?? [], next: out.NextToken };
    });
    return types.map((t) => ({
      id: t.InstanceType ?? '',
      name: t.InstanceType ?? '',
      cpu: t.VCpuInfo?.DefaultVCpus ?? 0,
      memoryMiB: t.MemoryInfo?.SizeInMiB ?? 0,
    }));
  }

  async listImages(): Promise<CloudImage[]> {
    const Owners = this.options.imageOwners ?? ['self'];
    const images = await collectPages(async (NextToken) => {
      const out = await this.call(() =>
        this.ec2.send(new DescribeImagesCommand({ Owners, NextToken, MaxResults: 1000 })),
      );
      return { items: out.Images ?? [], next: out.NextToken };
    });
    return images.map((i) => ({ id: i.ImageId ?? '', name: i.Name ?? i.ImageId ?? '' }));
  }

  async ensureNetwork(spec: NetworkSpec): Promise<CloudNetwork> {
    const vpcId = await this.vpcId();
    const filters: Filter[] = [
      { Name: 'vpc-id', Values: [vpcId] },
      { Name: 'tag:Name', Values: [spec.name] },
    ];
    const named = async () =>
      (await this.call(() => this.ec2.send(new DescribeSubnetsCommand({ Filters: filters })))).Subnets?.[0];
    let subnet = await named();
    if (!subnet) {
      subnet = await this.call(() =>
        this.ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: spec.cidr,
            TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: spec.name }] }],
          }),
        ),
      ).then(
        (created) => created.Subnet,
        async (error: unknown) => {
          // a retried create whose first answer was lost (or another worker's) made it, name and all
          const made = isCloudError(error) && error.cloudCode === 'InvalidSubnet.Conflict' && (await named());
          if (!made) throw error;
          return made;
        },
      );
    }
    if (subnet?.CidrBlock !== undefined && subnet.CidrBlock !== spec.cidr) {
      throw new InvalidRequest({
        provider: this.provider,
        cloudCode: 'NetworkCidrMismatch',
        cloudMessage: `subnet ${spec.name} exists with ${subnet.CidrBlock}, not ${spec.cidr}`,
      });
    }
    // a VPC subnet has no VLAN: the fabric's VLAN does not reach into AWS
    return { id: subnet?.SubnetId ?? '', name: spec.name, cidr: subnet?.CidrBlock ?? spec.cidr };
  }

  deleteNetwork(id: string): Promise<void> {
    const holders = async () =>
      (await this.find([{ Name: 'subnet-id', Values: [id] }, liveStates])).map((i) => i.id);
    return this.deleteUnused(`subnet ${id}`, holders, () =>
      this.ec2.send(new DeleteSubnetCommand({ SubnetId: id })),
    );
  }

  async applySecurityPolicy(policy: SecurityPolicy): Promise<SecurityPolicyResult> {
    const vpcId = await this.subnetVpc(policy.network);
    return syncSecurityGroup(this.ec2, (send) => this.call(send), policy, vpcId);
  }

  deleteSecurityPolicy(id: string): Promise<void> {
    // an instance holds its groups through its interface (which goes with it when it terminates)
    const holders = async () => {
      const out = await this.call(() =>
        this.ec2.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }),
        ),
      );
      return (out.NetworkInterfaces ?? []).map((n) => n.Attachment?.InstanceId ?? n.NetworkInterfaceId ?? '');
    };
    return this.deleteUnused(`security group ${id}`, holders, () =>
      this.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })),
    );
  }

  async createInstance(request: CreateInstanceRequest): Promise<CloudInstance> {
    // look-up and create retry together: a create whose answer was lost is found, not repeated
    return withRetry(() => this.createOnce(request), this.policy, this.clock);
  }

  private async createOnce(request: CreateInstanceRequest): Promise<CloudInstance> {
    // one attempt: createInstance retries look-up and create together (nested, they would multiply)
    const previous = await this.findByTags({ [TAG_IDEMPOTENCY_KEY]: request.idempotencyKey }, false);
    const alive = previous.find((i) => i.state !== 'terminated' && i.state !== 'terminating');
    if (alive) return alive;
    const tags = { ...request.tags, Name: request.name, [TAG_IDEMPOTENCY_KEY]: request.idempotencyKey };
    const out = await this.once(() =>
      this.ec2.send(
        new RunInstancesCommand({
          // EC2 returns the first instance for a repeated token (AWS caps tokens at 64 characters)
          ClientToken: request.idempotencyKey.slice(0, 64),
          ImageId: request.image,
          InstanceType: request.instanceType as never,
          MinCount: 1,
          MaxCount: 1,
          // the primary interface said outright: its address goes with the instance (a scale down
          // and up again gives the fabric's freed address to a new instance; moto otherwise keeps
          // a terminated instance's address taken)
          NetworkInterfaces: [
            {
              DeviceIndex: 0,
              SubnetId: request.network,
              DeleteOnTermination: true,
              ...(request.privateIp ? { PrivateIpAddress: request.privateIp } : {}),
              ...(request.securityGroups?.length ? { Groups: request.securityGroups } : {}),
            },
          ],
          ...(request.userData ? { UserData: Buffer.from(request.userData).toString('base64') } : {}),
          TagSpecifications: [
            { ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      ),
    );
    const instance = out.Instances?.[0];
    if (!instance) throw this.notFound('RunInstances returned no instance');
    return toCloudInstance(instance);
  }

  async describeInstance(id: string): Promise<CloudInstance> {
    const out = await this.call(() => this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    const instance = out.Reservations?.[0]?.Instances?.[0];
    if (!instance) throw this.notFound(`instance ${id} not found`);
    return toCloudInstance(instance);
  }

  async describeInstances(tags: Record<string, string>): Promise<CloudInstance[]> {
    return (await this.findByTags(tags)).filter((i) => i.state !== 'terminated');
  }

  async listManagedInstances(): Promise<CloudInstance[]> {
    const managed = await this.find([{ Name: 'tag-key', Values: [TAG_DEPLOYMENT] }, liveStates]);
    return managed.filter((i) => i.state !== 'terminated');
  }

  async startInstance(id: string): Promise<void> {
    await this.call(() => this.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })));
  }

  async stopInstance(id: string): Promise<void> {
    await this.call(() => this.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })));
  }

  async rebootInstance(id: string): Promise<void> {
    await this.call(() => this.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] })));
  }

  async terminateInstance(id: string): Promise<void> {
    try {
      await this.call(() => this.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })));
    } catch (error) {
      if (!(isCloudError(error) && error.code === 'NotFound')) throw error;
    }
  }

  waitForState(id: string, state: InstanceState, options?: PollOptions): Promise<CloudInstance> {
    return waitForInstanceState(this, id, state, options, this.clock);
  }

  private findByTags(tags: Record<string, string>, retry = true): Promise<CloudInstance[]> {
    return this.find(
      Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] })),
      retry,
    );
  }

  private async find(Filters: Filter[], retry = true): Promise<CloudInstance[]> {
    const reservations = await collectPages(async (NextToken) => {
      const send = () =>
        this.ec2.send(new DescribeInstancesCommand({ Filters, NextToken, MaxResults: 1000 }));
      const out = await (retry ? this.call(send) : this.once(send));
      return { items: out.Reservations ?? [], next: out.NextToken };
    });
    return reservations.flatMap((r) => r.Instances ?? []).map(toCloudInstance);
  }

  /**
   * Deletes a subnet or security group nothing holds (`usedBy` names what does); one already gone
   * counts as deleted. In use (by our look or the cloud's DependencyViolation; moto does not check)
   * is retried for a few seconds, then fails as InUse naming the holders.
   */
  private async deleteUnused(
    what: string,
    usedBy: () => Promise<string[]>,
    remove: () => Promise<unknown>,
  ): Promise<void> {
    await withRetry(
      async () => {
        const holders = await usedBy();
        if (holders.length > 0) {
          throw new InUse({
            provider: this.provider,
            cloudCode: 'DependencyViolation',
            cloudMessage: `${what} is in use by ${holders.join(', ')}`,
          });
        }
        try {
          await this.call(remove);
        } catch (error) {
          if (!(isCloudError(error) && error.code === CloudErrorCode.NotFound)) throw error;
        }
      },
      this.options.inUseRetry ?? defaultInUseRetry,
      this.clock,
      undefined,
      isInUse,
    );
  }

  private vpcId(): Promise<string> {
    if (this.options.vpcId) return Promise.resolve(this.options.vpcId);
    this.defaultVpc ??= this.call(() =>
      this.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
    ).then((out) => {
      const id = out.Vpcs?.[0]?.VpcId;
      if (!id) throw this.notFound('the account has no default VPC; configure vpcId');
      return id;
    });
    this.defaultVpc.catch(() => (this.defaultVpc = undefined));
    return this.defaultVpc;
  }

  private async subnetVpc(subnetId: string): Promise<string> {
    const out = await this.call(() => this.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })));
    const vpcId = out.Subnets?.[0]?.VpcId;
    if (!vpcId) throw this.notFound(`subnet ${subnetId} not found`);
    return vpcId;
  }

  private call<T>(send: () => Promise<T>): Promise<T> {
    return withRetry(() => this.once(send), this.policy, this.clock);
  }

  private once<T>(send: () => Promise<T>): Promise<T> {
    return send().catch((error: unknown) => {
      throw mapAwsError(error);
    });
  }

  private notFound(message: string): NotFound {
    return new NotFound({ provider: this.provider, cloudCode: 'NotFound', cloudMessage: message });
  }
}

function toCloudInstance(i: Instance): CloudInstance {
  const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  return {
    id: i.InstanceId ?? '',
    name: tags.Name ?? i.InstanceId ?? '',
    state: stateMap[i.State?.Name ?? ''] ?? 'pending',
    ...(i.InstanceType ? { instanceType: i.InstanceType } : {}),
    ...(i.ImageId ? { image: i.ImageId } : {}),
    ...(i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {}),
    tags,
  };
}
