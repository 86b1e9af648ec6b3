import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { TAG_DEPLOYMENT, type CloudAdapter, type CloudInstance } from '@switchyard/cloud-adapters';
import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import {
  openStackApi,
  openStackLogin,
  type OpenStackApi,
} from '../integration/cloud/support/openstack-api.js';
import { Vim25Reader } from './vim25-reader.js';

export type Provider = 'aws' | 'openstack' | 'vsphere';
/** A deployment's `networks` as the API shows them, by environment. */
export type Networks = Record<string, { fabricNetwork: string; subnet: string }>;

export interface NeutronGroup {
  id: string;
  name: string;
  security_group_rules: Array<{
    direction: string;
    ethertype: string;
    protocol: string | null;
    port_range_min: number | null;
    remote_ip_prefix: string | null;
  }>;
}

export interface NeutronPort {
  id: string;
  name: string;
  fixed_ips: Array<{ ip_address: string }>;
  security_groups: string[];
}

/** The 12 hex digits of a deployment's id that name its fabric objects and idempotency keys. */
export const compactId = (id: string) => id.replace(/-/g, '').slice(0, 12);

/**
 * What the clouds and the fabric hold for a deployment, read past Switchyard: the fabric's tables,
 * EC2's, vim25's and Neutron's own APIs, and each peer's adapter. Environments are told apart by
 * `providers`.
 */
export class CloudInspector {
  readonly providers = new Map<string, Provider>();
  private readonly ec2: EC2Client;

  private constructor(
    private readonly db: pg.Client,
    private readonly peers: { aws: CloudPeer; vsphere: CloudPeer; openstack: CloudPeer | null },
    /** Nova and Neutron as their operator sees them; only with an OpenStack peer. */
    readonly os: OpenStackApi | undefined,
    /** vcsim's inventory over raw vim25. */
    private readonly vim: Vim25Reader,
    awsRegion: string,
  ) {
    this.ec2 = new EC2Client({
      region: awsRegion,
      endpoint: peers.aws.endpoint,
      credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
    });
  }

  /** `awsRegion`: where the AWS environments are (moto keeps each region apart). */
  static async open(
    db: pg.Client,
    peers: { aws: CloudPeer; vsphere: CloudPeer; openstack: CloudPeer | null },
    awsRegion = 'eu-west-1',
  ): Promise<CloudInspector> {
    const os = peers.openstack ? await openStackApi(openStackLogin(peers.openstack.endpoint)) : undefined;
    const { login } = peers.vsphere;
    if (!login) throw new Error('the vSphere peer does not say how to log in');
    const vim = await Vim25Reader.login(
      peers.vsphere.endpoint,
      login.username,
      login.password,
      peers.vsphere.caCert,
    );
    return new CloudInspector(db, peers, os, vim, awsRegion);
  }

  close(): void {
    this.ec2.destroy();
  }

  providerOf(environment: string): Provider | 'unknown' {
    return this.providers.get(environment) ?? 'unknown';
  }

  adapterOf(environment: string): CloudAdapter {
    const provider = this.providerOf(environment);
    const peer = provider === 'unknown' ? null : this.peers[provider];
    if (!peer) throw new Error(`no cloud peer for environment ${environment}`);
    return peer.adapter();
  }

  /** The deployment's instances on one environment's cloud, found by their tag. */
  instances(environment: string, deploymentId: string): Promise<CloudInstance[]> {
    return this.adapterOf(environment).describeInstances({ [TAG_DEPLOYMENT]: deploymentId });
  }

  /** The fabric's endpoints of the deployment: endpoint id (the instance's key) → IPv4 address. */
  async fabricAddresses(deploymentId: string): Promise<Record<string, string>> {
    const rows = await this.db.query<{ endpoint_id: string; ip: string }>(
      `SELECT endpoint_id, host(ipv4) AS ip FROM fabric_endpoints WHERE endpoint_id LIKE $1`,
      [`sy-${compactId(deploymentId)}-%`],
    );
    return Object.fromEntries(rows.rows.map((r) => [r.endpoint_id, r.ip]));
  }

  /** Every fabric object and endpoint of the deployment still there (networks, groups, policies, rules). */
  async fabricLeft(deploymentId: string): Promise<string[]> {
    const left = await this.db.query<{ what: string }>(
      `SELECT 'endpoint ' || endpoint_id AS what FROM fabric_endpoints WHERE endpoint_id LIKE $1
       UNION ALL SELECT kind || ' ' || name FROM fabric_objects WHERE name LIKE $2`,
      [`sy-${compactId(deploymentId)}-%`, `d-${compactId(deploymentId)}-%`],
    );
    return left.rows.map((r) => r.what).sort();
  }

  /** A tier's compiled whitelist as the fabric holds it, as `proto/port<-cidr` (a group: its subnet). */
  async compiledWhitelist(deploymentId: string, tier: string, networks: Networks): Promise<string[]> {
    const rules = await this.db.query<{ config: Record<string, string | number> }>(
      `SELECT config FROM fabric_objects WHERE kind = 'rule' AND config->>'policyName' = $1`,
      [`d-${compactId(deploymentId)}-${tier}`],
    );
    const allowed: string[] = [];
    for (const { config: r } of rules.rows) {
      if (r.action !== 'allow') continue;
      let from = String(r.fromIpAddress);
      if (r.fromEndpointGroup) {
        const group = await this.db.query<{ network: string }>(
          `SELECT config->>'networkName' AS network FROM fabric_objects WHERE kind = 'endpointGroup' AND name = $1`,
          [r.fromEndpointGroup],
        );
        from = Object.values(networks).find((n) => n.fabricNetwork === group.rows[0]?.network)?.subnet ?? '?';
      }
      allowed.push(`${r.protocol}/${r.port}<-${from}`);
    }
    return allowed.sort();
  }

  /** A security group's IPv4 ingress as AWS or OpenStack holds it, as `proto/port<-cidr`. */
  async ingress(environment: string, group: string): Promise<string[]> {
    if (this.providerOf(environment) === 'aws') {
      const { SecurityGroups = [] } = await this.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [group] }] }),
      );
      if (SecurityGroups.length !== 1) throw new Error(`${SecurityGroups.length} groups named ${group}`);
      return (SecurityGroups[0]!.IpPermissions ?? [])
        .flatMap((p) => (p.IpRanges ?? []).map((r) => `${p.IpProtocol}/${p.FromPort}<-${r.CidrIp}`))
        .sort();
    }
    const found = (await this.securityGroups()).filter((g) => g.name === group);
    if (found.length !== 1) throw new Error(`${found.length} groups named ${group}`);
    return found[0]!.security_group_rules
      .filter((r) => r.direction === 'ingress' && r.ethertype === 'IPv4')
      .map((r) => `${r.protocol}/${r.port_range_min}<-${r.remote_ip_prefix}`)
      .sort();
  }

  /** The deployment's networks and security groups on AWS and OpenStack, its port groups on vSphere. */
  async networkObjects(deploymentId: string, networks: Networks): Promise<string[]> {
    const prefix = `d-${compactId(deploymentId)}-`;
    const found = new Set<string>();
    for (const [environment, network] of Object.entries(networks)) {
      if (this.providerOf(environment) === 'aws') {
        const { Subnets = [] } = await this.ec2.send(
          new DescribeSubnetsCommand({ Filters: [{ Name: 'cidr-block', Values: [network.subnet] }] }),
        );
        for (const s of Subnets) found.add(`aws subnet ${s.CidrBlock}`);
        const { SecurityGroups = [] } = await this.ec2.send(new DescribeSecurityGroupsCommand({}));
        for (const g of SecurityGroups)
          if (g.GroupName?.startsWith(prefix)) found.add(`aws group ${g.GroupName}`);
      } else if (this.providerOf(environment) === 'openstack') {
        const { networks: nets } = await this.os!.request<{ networks: Array<{ name: string }> }>(
          'network',
          'GET',
          `/v2.0/networks?name=${encodeURIComponent(network.fabricNetwork)}`,
        );
        for (const n of nets) found.add(`openstack network ${n.name}`);
        for (const g of await this.securityGroups())
          if (g.name.startsWith(prefix)) found.add(`openstack group ${g.name}`);
      } else if (this.providerOf(environment) === 'vsphere') {
        // vSphere has no security groups: the network is a distributed port group
        for (const name of await this.vim.names('DistributedVirtualPortgroup'))
          if (name === network.fabricNetwork) found.add(`vsphere portgroup ${name}`);
      }
    }
    return [...found].sort();
  }

  /**
   * Every object of the deployment still on any cloud, found by the names and tags the adapters
   * give them, without knowing what was made: EC2 instances, subnets, security groups and network
   * interfaces; vSphere VMs and port groups; OpenStack servers, networks, subnets, groups and ports.
   */
  async leftOnClouds(deploymentId: string): Promise<string[]> {
    const id = compactId(deploymentId);
    const mine = (name: string | undefined) =>
      !!name && (name.startsWith(`d-${id}-`) || name.startsWith(`sy-${id}-`));
    const left: string[] = [];
    const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string) =>
      tags?.find((t) => t.Key === key)?.Value;

    const { Reservations = [] } = await this.ec2.send(new DescribeInstancesCommand({}));
    // an interface attached to a terminated instance goes with it (moto lists both a while longer)
    const gone = new Set<string>();
    for (const i of Reservations.flatMap((r) => r.Instances ?? [])) {
      if (i.State?.Name === 'terminated') {
        gone.add(i.InstanceId ?? '');
        continue;
      }
      if (tag(i.Tags, TAG_DEPLOYMENT) === deploymentId || mine(tag(i.Tags, 'Name')))
        left.push(`aws instance ${i.InstanceId} ${tag(i.Tags, 'Name')} (${i.State?.Name})`);
    }
    const { Subnets = [] } = await this.ec2.send(new DescribeSubnetsCommand({}));
    const subnets = Subnets.filter((s) => mine(tag(s.Tags, 'Name')));
    for (const s of subnets) left.push(`aws subnet ${tag(s.Tags, 'Name')} ${s.CidrBlock}`);
    const { SecurityGroups = [] } = await this.ec2.send(new DescribeSecurityGroupsCommand({}));
    for (const g of SecurityGroups) if (mine(g.GroupName)) left.push(`aws group ${g.GroupName}`);
    const { NetworkInterfaces = [] } = await this.ec2.send(new DescribeNetworkInterfacesCommand({}));
    for (const n of NetworkInterfaces) {
      if (n.Attachment?.InstanceId && gone.has(n.Attachment.InstanceId)) continue;
      const inSubnet = subnets.some((s) => s.SubnetId === n.SubnetId);
      if (inSubnet || (n.Groups ?? []).some((g) => mine(g.GroupName)))
        left.push(`aws interface ${n.NetworkInterfaceId} ${n.PrivateIpAddress}`);
    }

    for (const name of await this.vim.names('VirtualMachine'))
      if (mine(name)) left.push(`vsphere vm ${name}`);
    for (const name of await this.vim.names('DistributedVirtualPortgroup'))
      if (mine(name)) left.push(`vsphere portgroup ${name}`);

    if (this.os) {
      const { servers } = await this.os.request<{ servers: Array<{ name: string; id: string }> }>(
        'compute',
        'GET',
        '/servers?all_tenants=1',
      );
      for (const v of servers) if (mine(v.name)) left.push(`openstack server ${v.name}`);
      for (const [kind, path] of [
        ['network', 'networks'],
        ['subnet', 'subnets'],
        ['port', 'ports'],
        ['group', 'security-groups'],
      ] as const) {
        const out = await this.os.request<Record<string, Array<{ name: string }>>>(
          'network',
          'GET',
          `/v2.0/${path}`,
        );
        for (const o of out[path.replace('-', '_')] ?? [])
          if (mine(o.name)) left.push(`openstack ${kind} ${o.name}`);
      }
    }
    return left.sort();
  }

  /** Neutron's ports: all of them, or those of one server. */
  async ports(deviceId?: string): Promise<NeutronPort[]> {
    const query = deviceId ? `?device_id=${encodeURIComponent(deviceId)}` : '';
    return (await this.os!.request<{ ports: NeutronPort[] }>('network', 'GET', `/v2.0/ports${query}`)).ports;
  }

  async securityGroups(): Promise<NeutronGroup[]> {
    const out = await this.os!.request<{ security_groups: NeutronGroup[] }>(
      'network',
      'GET',
      '/v2.0/security-groups',
    );
    return out.security_groups;
  }

  /**
   * The cloud-init user-data a cloud holds for an instance, read from the cloud itself: EC2's
   * DescribeInstanceAttribute userData, Nova's user_data, vSphere's guestinfo.userdata in the VM's
   * extraConfig (each base64).
   */
  async userDataOf(environment: string, resourceId: string): Promise<string> {
    const provider = this.providerOf(environment);
    if (provider === 'openstack') return this.userData(resourceId);
    if (provider === 'aws') {
      const out = await this.ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: resourceId, Attribute: 'userData' }),
      );
      return Buffer.from(out.UserData?.Value ?? '', 'base64').toString();
    }
    if (provider === 'vsphere') {
      const extra = (await this.vim.vmExtraConfig()).get(resourceId) ?? {};
      expect(extra['guestinfo.userdata.encoding']).toBe('base64');
      return Buffer.from(extra['guestinfo.userdata'] ?? '', 'base64').toString();
    }
    throw new Error(`no cloud peer for environment ${environment}`);
  }

  /** The cloud-init user data Nova holds for a server (admin, microversion 2.3 and later). */
  async userData(serverId: string): Promise<string> {
    const { server } = await this.os!.request<{ server: Record<string, string | undefined> }>(
      'compute',
      'GET',
      `/servers/${encodeURIComponent(serverId)}`,
    );
    return Buffer.from(server['OS-EXT-SRV-ATTR:user_data'] ?? '', 'base64').toString();
  }
}
