import type { FieldIssue } from '../errors/fabric.exception.js';
import { VLAN_LIMITS, VXLAN_LIMITS, tagRangeIssue } from '../addressing/tag-range.util.js';
import {
  asNumberIssue,
  bandwidthIssue,
  hostnameIssue,
  ipOrCidrIssue,
  ipv4Issue,
  ipv4SubnetIssue,
  ipv6SubnetIssue,
  protocolIssue,
  routerIpIssue,
  ruleIdIssue,
  selectorIssue,
  servicePortIssue,
} from './field-checks.util.js';
import { type Fields, type ObjectOf, choice, integer, list, name, text } from './field.util.js';
import { globalIssues, networkIssues, ruleIssues } from './object-checks.util.js';

/**
 * One object of the fabric, as Contiv declares it: JSON field names, key, rules.
 * `label` names the kind in messages ("used by 2 endpoint groups").
 */
export interface ObjectSpec<F extends Fields = Fields> {
  readonly kind: string;
  /** Contiv REST collection: `/api/v1/<collection>/<key>/`. */
  readonly collection: string;
  readonly label: string;
  /** Fields joined by `:` make the key, e.g. `tenant:network`. */
  readonly keyFields: readonly (keyof F & string)[];
  readonly fields: F;
  /** Rules spanning several fields of one object. */
  readonly check?: (obj: ObjectOf<F>) => FieldIssue[];
  /** Canonical form stored and compared (e.g. rule priority 0 means 1). */
  readonly normalize?: (obj: ObjectOf<F>) => ObjectOf<F>;
}

function define<const F extends Fields>(spec: ObjectSpec<F>): ObjectSpec<F> {
  return spec;
}

const tenantName = () => name('tenant the object belongs to', { required: true });

export const GLOBAL = define({
  kind: 'global',
  collection: 'globals',
  label: 'globals',
  keyFields: ['name'],
  fields: {
    name: text('always "global"', {
      required: true,
      check: (v) => (v === 'global' ? undefined : 'must be "global"'),
    }),
    networkInfraType: choice(['default', 'aci', 'aci-opflex'], 'infrastructure type', {
      fallback: 'default',
    }),
    vlans: text('VLAN tag range a-b within 1..4094', {
      fallback: '1-4094',
      check: (v) => tagRangeIssue(v, VLAN_LIMITS.min, VLAN_LIMITS.max),
    }),
    vxlans: text('VXLAN id range a-b within 1..16777215, at most 16000 ids', {
      fallback: '1-10000',
      check: (v) => tagRangeIssue(v, VXLAN_LIMITS.min, VXLAN_LIMITS.max, VXLAN_LIMITS.maxSpan),
    }),
    fwdMode: choice(['bridge', 'routing'], 'forwarding mode', { fallback: 'bridge' }),
    arpMode: choice(['proxy', 'flood'], 'ARP mode', { fallback: 'proxy' }),
    pvtSubnet: text('private /16 for host access', { fallback: '172.19.0.0/16', check: ipv4SubnetIssue }),
  },
  check: globalIssues,
});

export const TENANT = define({
  kind: 'tenant',
  collection: 'tenants',
  label: 'tenants',
  keyFields: ['tenantName'],
  fields: {
    tenantName: name('tenant name', { required: true }),
    defaultNetwork: name('network used when none is named', { ref: 'network' }),
  },
});

export const NETWORK = define({
  kind: 'network',
  collection: 'networks',
  label: 'networks',
  keyFields: ['tenantName', 'networkName'],
  fields: {
    tenantName: tenantName(),
    networkName: name('network name', { required: true }),
    encap: choice(['vlan', 'vxlan'], 'encapsulation', { required: true, immutable: true }),
    pktTag: integer('VLAN or VXLAN id; 0 takes the lowest free', 0, VXLAN_LIMITS.max, { immutable: true }),
    subnet: text('A.B.C.D/len or A.B.C.D-A.B.C.D/len', {
      required: true,
      immutable: true,
      check: ipv4SubnetIssue,
    }),
    gateway: text('gateway inside the subnet', { immutable: true, check: ipv4Issue }),
    ipv6Subnet: text('IPv6 prefix/len', { immutable: true, check: ipv6SubnetIssue }),
    ipv6Gateway: text('IPv6 gateway inside ipv6Subnet', { immutable: true }),
    nwType: choice(['data', 'infra'], 'network type', { fallback: 'data', immutable: true }),
    cfgdTag: name('configured tag (label)'),
  },
  check: networkIssues,
});

export const ENDPOINT_GROUP = define({
  kind: 'endpointGroup',
  collection: 'endpointGroups',
  label: 'endpoint groups',
  keyFields: ['tenantName', 'groupName'],
  fields: {
    tenantName: tenantName(),
    groupName: name('group name', { required: true }),
    networkName: name('network of the group', { required: true, immutable: true, ref: 'network' }),
    ipPool: text('A.B.C.D-A.B.C.D reserved for the group inside the network', { immutable: true }),
    policies: list('policies attached to the group', { ref: 'policy' }),
    netProfile: name('netprofile applied to the group', { ref: 'netprofile' }),
    extContractsGrps: list('external contracts groups', { ref: 'extContractsGroup' }),
    cfgdTag: name('configured tag (label)'),
  },
});

export const POLICY = define({
  kind: 'policy',
  collection: 'policys',
  label: 'policies',
  keyFields: ['tenantName', 'policyName'],
  fields: {
    tenantName: tenantName(),
    policyName: name('policy name', { required: true }),
  },
});

const ruleField = (doc: string, extra: Parameters<typeof text>[1] = {}) =>
  text(doc, { immutable: true, ...extra });

export const RULE = define({
  kind: 'rule',
  collection: 'rules',
  label: 'rules',
  keyFields: ['tenantName', 'policyName', 'ruleId'],
  fields: {
    tenantName: tenantName(),
    policyName: name('policy holding the rule', { required: true, ref: 'policy' }),
    ruleId: text('rule id within the policy', { required: true, check: ruleIdIssue }),
    direction: choice(['in', 'out'], 'traffic arriving at (in) or sent by (out) the group', {
      required: true,
      immutable: true,
    }),
    priority: integer('1..100, higher wins; 0 means 1', 0, 100, { fallback: 1, immutable: true }),
    fromEndpointGroup: name('source group (in rules)', { immutable: true, ref: 'endpointGroup' }),
    fromNetwork: name('source network (in rules)', { immutable: true, ref: 'network' }),
    fromIpAddress: ruleField('source address or CIDR (in rules)', { check: ipOrCidrIssue }),
    toEndpointGroup: name('destination group (out rules)', { immutable: true, ref: 'endpointGroup' }),
    toNetwork: name('destination network (out rules)', { immutable: true, ref: 'network' }),
    toIpAddress: ruleField('destination address or CIDR (out rules)', { check: ipOrCidrIssue }),
    protocol: ruleField('tcp, udp, icmp or a number 0..255; empty for any', { check: protocolIssue }),
    port: integer('destination port; 0 for any', 0, 65535, { immutable: true }),
    action: choice(['allow', 'deny'], 'what a matching packet gets', { required: true, immutable: true }),
  },
  check: ruleIssues,
  normalize: (rule) => ({ ...rule, priority: rule.priority === 0 ? 1 : rule.priority }),
});

export const APP_PROFILE = define({
  kind: 'appProfile',
  collection: 'appProfiles',
  label: 'app profiles',
  keyFields: ['tenantName', 'appProfileName'],
  fields: {
    tenantName: tenantName(),
    appProfileName: name('app profile name', { required: true }),
    endpointGroups: list('groups of the application', { ref: 'endpointGroup' }),
  },
});

export const NETPROFILE = define({
  kind: 'netprofile',
  collection: 'netprofiles',
  label: 'netprofiles',
  keyFields: ['tenantName', 'profileName'],
  fields: {
    tenantName: tenantName(),
    profileName: name('profile name', { required: true }),
    bandwidth: text('like "10 Gbps", "5Mb", "4g"', { check: bandwidthIssue }),
    DSCP: integer('DSCP mark 0..63', 0, 63),
    burst: integer('burst size (KB)', 0, 2147483647),
  },
});

export const SERVICE_LB = define({
  kind: 'serviceLB',
  collection: 'serviceLBs',
  label: 'service LBs',
  keyFields: ['tenantName', 'serviceName'],
  fields: {
    tenantName: tenantName(),
    serviceName: name('service name', { required: true }),
    networkName: name('network holding the VIP', { required: true, immutable: true, ref: 'network' }),
    selectors: list('provider selectors key=value', { check: selectorIssue }),
    ports: list('svcPort:provPort:TCP|UDP', { check: servicePortIssue }),
    ipAddress: text('preferred VIP', { immutable: true, check: ipv4Issue }),
  },
});

export const EXT_CONTRACTS_GROUP = define({
  kind: 'extContractsGroup',
  collection: 'extContractsGroups',
  label: 'external contracts groups',
  keyFields: ['tenantName', 'contractsGroupName'],
  fields: {
    tenantName: tenantName(),
    contractsGroupName: name('contracts group name', { required: true }),
    contractsType: choice(['provided', 'consumed'], 'provided or consumed', {
      required: true,
      immutable: true,
    }),
    contracts: list('contract names (e.g. ACI DNs)', {
      check: (v) => (v.trim() === '' ? 'must not be empty' : undefined),
    }),
  },
});

// Contiv's per-host BGP settings. Switchyard runs no BGP speaker: they are stored and listed so that
// netctl scripts keep working, and configure nothing.
export const BGP = define({
  kind: 'bgp',
  collection: 'Bgps',
  label: 'BGP settings',
  keyFields: ['hostname'],
  fields: {
    hostname: text('host the settings are for', { required: true, check: hostnameIssue }),
    routerip: text("the host's BGP router address A.B.C.D/len", { required: true, check: routerIpIssue }),
    as: text("the host's AS number", { required: true, check: asNumberIssue }),
    'neighbor-as': text("the neighbor's AS number", { check: asNumberIssue }),
    neighbor: text("the neighbor's IPv4 address", { check: ipv4Issue }),
  },
});

/** Every configurable object, by kind. */
export const OBJECT_SPECS = {
  global: GLOBAL,
  tenant: TENANT,
  network: NETWORK,
  endpointGroup: ENDPOINT_GROUP,
  policy: POLICY,
  rule: RULE,
  appProfile: APP_PROFILE,
  netprofile: NETPROFILE,
  serviceLB: SERVICE_LB,
  extContractsGroup: EXT_CONTRACTS_GROUP,
  bgp: BGP,
} as const;

export type ObjectKind = keyof typeof OBJECT_SPECS;
export const OBJECT_KINDS = Object.keys(OBJECT_SPECS) as ObjectKind[];
/** The kinds shared by the whole fabric, outside every tenant. */
export type ClusterObjectKind = 'global' | 'bgp';
export function isClusterKind(kind: ObjectKind): kind is ClusterObjectKind {
  return kind === 'global' || kind === 'bgp';
}
/** The kinds that live inside a tenant (all but the cluster kinds and tenant itself). */
export type TenantObjectKind = Exclude<ObjectKind, ClusterObjectKind | 'tenant'>;
export const TENANT_OBJECT_KINDS = OBJECT_KINDS.filter(
  (k): k is TenantObjectKind => !isClusterKind(k) && k !== 'tenant',
);

export type GlobalConfig = ObjectOf<typeof GLOBAL.fields>;
export type TenantConfig = ObjectOf<typeof TENANT.fields>;
export type NetworkConfig = ObjectOf<typeof NETWORK.fields>;
export type EndpointGroupConfig = ObjectOf<typeof ENDPOINT_GROUP.fields>;
export type PolicyConfig = ObjectOf<typeof POLICY.fields>;
export type RuleConfig = ObjectOf<typeof RULE.fields>;
export type AppProfileConfig = ObjectOf<typeof APP_PROFILE.fields>;
export type NetprofileConfig = ObjectOf<typeof NETPROFILE.fields>;
export type ServiceLBConfig = ObjectOf<typeof SERVICE_LB.fields>;
export type ExtContractsGroupConfig = ObjectOf<typeof EXT_CONTRACTS_GROUP.fields>;
export type BgpConfig = ObjectOf<typeof BGP.fields>;

/** The config type of each kind. */
export type FabricObjectMap = { [K in ObjectKind]: ObjectOf<(typeof OBJECT_SPECS)[K]['fields']> };

/** An endpoint as Contiv's inspect answers show it (EndpointOper of contivModel). */
export interface ContivEndpointOper {
  containerID: string;
  containerName: string;
  /** The group's numeric id (0 for a network-level endpoint). */
  endpointGroupId: number;
  /** `group:tenant`, or '' for a network-level endpoint. */
  endpointGroupKey: string;
  endpointID: string;
  homingHost: string;
  intfName: string;
  /** `[IPv4, IPv6]`, the IPv6 '' when the network has none. */
  ipAddress: [string, string];
  labels: string;
  macAddress: string;
  /** `network.tenant` */
  network: string;
  serviceName: string;
  virtualPort: string;
  vtepIP: string;
}
