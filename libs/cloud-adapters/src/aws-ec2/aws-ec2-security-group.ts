import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { NotFound, isCloudError } from '../adapter/cloud.exception.js';
import {
  ruleKey,
  splitForSecurityGroup,
  uniqueRules,
  type SecurityPolicy,
  type SecurityPolicyResult,
  type SecurityRule,
} from '../adapter/security-policy.js';

/** Runs one SDK call with the adapter's error mapping and retry. */
export type Ec2Call = <T>(send: () => Promise<T>) => Promise<T>;

/**
 * Finds or creates the policy's security group in the VPC and brings its permissions in line with
 * the policy's allow rules; deny rules come back as unsupported.
 */
export async function syncSecurityGroup(
  ec2: EC2Client,
  call: Ec2Call,
  policy: SecurityPolicy,
  vpcId: string,
): Promise<SecurityPolicyResult> {
  const { expressible, unsupported } = splitForSecurityGroup(policy.rules);
  const group = await ensureGroup(ec2, call, policy.name, vpcId);
  const GroupId = group.GroupId ?? '';
  // EC2 refuses a request that names one permission twice (InvalidPermission.Duplicate)
  const wanted = uniqueRules(expressible.map(normalizeForEc2));
  for (const direction of ['ingress', 'egress'] as const) {
    const want = wanted.filter((r) => r.direction === direction);
    // a direction the policy says nothing about keeps the cloud's default (EC2: all egress allowed)
    if (direction === 'egress' && want.length === 0) continue;
    const have = fromIpPermissions(
      direction,
      (direction === 'ingress' ? group.IpPermissions : group.IpPermissionsEgress) ?? [],
    );
    const haveKeys = new Set(have.map(ruleKey));
    const wantKeys = new Set(want.map(ruleKey));
    const revoke = have.filter((r) => !wantKeys.has(ruleKey(r))).map(toIpPermission);
    const add = want.filter((r) => !haveKeys.has(ruleKey(r))).map(toIpPermission);
    const change = (kind: PermissionChange) => (IpPermissions: IpPermission[]) =>
      call(() => sendPermissionChange(ec2, kind, direction, { GroupId, IpPermissions }));
    if (revoke.length > 0) await changeEach('revoke', revoke, change('revoke'));
    if (add.length > 0) await changeEach('authorize', add, change('authorize'));
  }
  return { id: GroupId, applied: expressible, unsupported };
}

type PermissionChange = 'authorize' | 'revoke';

function sendPermissionChange(
  ec2: EC2Client,
  kind: PermissionChange,
  direction: SecurityRule['direction'],
  input: { GroupId: string; IpPermissions: IpPermission[] },
): Promise<unknown> {
  if (kind === 'authorize') {
    return direction === 'ingress'
      ? ec2.send(new AuthorizeSecurityGroupIngressCommand(input))
      : ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
  }
  return direction === 'ingress'
    ? ec2.send(new RevokeSecurityGroupIngressCommand(input))
    : ec2.send(new RevokeSecurityGroupEgressCommand(input));
}

// what EC2 answers when a change is already made: by a retry whose first answer was lost, by a
// step that resumes after a crash, or by another worker syncing the same group
const ALREADY_DONE: Record<PermissionChange, string> = {
  authorize: 'InvalidPermission.Duplicate',
  revoke: 'InvalidPermission.NotFound',
};

const alreadyDone = (kind: PermissionChange, error: unknown) =>
  isCloudError(error) && error.cloudCode === ALREADY_DONE[kind];

/**
 * Makes the change in one call; when EC2 refuses the batch because part of it is already done
 * (it then changes nothing), makes it permission by permission and counts those as done.
 */
async function changeEach(
  kind: PermissionChange,
  permissions: IpPermission[],
  send: (permissions: IpPermission[]) => Promise<unknown>,
): Promise<void> {
  try {
    await send(permissions);
    return;
  } catch (error) {
    if (!alreadyDone(kind, error)) throw error;
  }
  if (permissions.length === 1) return;
  for (const permission of permissions) {
    await send([permission]).catch((error: unknown) => {
      if (!alreadyDone(kind, error)) throw error;
    });
  }
}

async function ensureGroup(
  ec2: EC2Client,
  call: Ec2Call,
  name: string,
  vpcId: string,
): Promise<SecurityGroup> {
  const Filters = [
    { Name: 'group-name', Values: [name] },
    { Name: 'vpc-id', Values: [vpcId] },
  ];
  const find = async () =>
    (await call(() => ec2.send(new DescribeSecurityGroupsCommand({ Filters })))).SecurityGroups?.[0];
  const found = await find();
  if (found) return found;
  await call(() =>
    ec2.send(
      new CreateSecurityGroupCommand({ GroupName: name, VpcId: vpcId, Description: `switchyard ${name}` }),
    ),
  ).catch((error: unknown) => {
    // made meanwhile (a retried create whose answer was lost, another worker): found below
    if (!(isCloudError(error) && error.cloudCode === 'InvalidGroup.Duplicate')) throw error;
  });
  const created = await find();
  if (!created) {
    throw new NotFound({
      provider: 'aws-ec2',
      cloudCode: 'NotFound',
      cloudMessage: `security group ${name} vanished`,
    });
  }
  return created;
}

/** An allow rule as EC2 writes it. */
export function toIpPermission(rule: SecurityRule): IpPermission {
  const cidr = rule.cidr ?? '0.0.0.0/0';
  if (rule.protocol === 'any') return { IpProtocol: '-1', IpRanges: [{ CidrIp: cidr }] };
  if (rule.protocol === 'icmp') {
    return { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: cidr }] };
  }
  return {
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort ?? 0,
    ToPort: rule.toPort ?? rule.fromPort ?? 65535,
    IpRanges: [{ CidrIp: cidr }],
  };
}

/** EC2's grouped permissions back as one neutral allow rule per address range. */
export function fromIpPermissions(
  direction: SecurityRule['direction'],
  permissions: readonly IpPermission[],
): SecurityRule[] {
  const rules: SecurityRule[] = [];
  for (const p of permissions) {
    const protocol = p.IpProtocol === '-1' ? 'any' : (p.IpProtocol as SecurityRule['protocol']);
    for (const range of p.IpRanges ?? []) {
      const rule: SecurityRule = { direction, action: 'allow', protocol };
      if (protocol === 'tcp' || protocol === 'udp') {
        if (p.FromPort !== undefined) rule.fromPort = p.FromPort;
        if (p.ToPort !== undefined) rule.toPort = p.ToPort;
      }
      if (range.CidrIp) rule.cidr = range.CidrIp;
      rules.push(rule);
    }
  }
  return rules;
}

/** Wanted tcp/udp rules without ports mean the whole range, as EC2 reports it back. */
export function normalizeForEc2(rule: SecurityRule): SecurityRule {
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') {
    const { fromPort: _f, toPort: _t, ...rest } = rule;
    return { ...rest, cidr: rule.cidr ?? '0.0.0.0/0' };
  }
  return {
    ...rule,
    fromPort: rule.fromPort ?? 0,
    toPort: rule.toPort ?? rule.fromPort ?? 65535,
    cidr: rule.cidr ?? '0.0.0.0/0',
  };
}
