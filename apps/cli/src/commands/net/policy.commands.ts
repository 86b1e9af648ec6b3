import type { Command } from '../../core/command.js';
import { str } from '../../core/flags.js';
import {
  ALL_FLAG,
  compact,
  createObject,
  crudActions,
  deleteObject,
  listObjects,
  type NetAction,
  needArgs,
  netObjectCommand,
  numberFlag,
} from './net-command.util.js';

const ruleKey = (tenant: string, policy: string, id: string) => `${tenant}:${policy}:${id}`;

const ruleActions: NetAction[] = [
  {
    name: 'rule-add',
    usage:
      'syd net policy rule-add POLICY ID [-p PRIO] [-d in|out] [-g FROM_GROUP] [-e TO_GROUP] [-n FROM_NET] ' +
      '[-o TO_NET] [-i FROM_IP] [-s TO_IP] [-l PROTO] [-P PORT] [-j allow|deny] [-t TENANT]',
    summary: 'add a rule to a policy',
    async run(ctx) {
      const [policy, id] = needArgs(ctx, ['POLICY', 'ID']) as [string, string];
      const { flags, tenant } = ctx;
      const body = compact({
        tenantName: tenant,
        policyName: policy,
        ruleId: id,
        // netctl's defaults: inbound, priority 1, allow
        direction: str(flags, 'direction') ?? 'in',
        priority: numberFlag(flags, 'priority') ?? 1,
        fromEndpointGroup: str(flags, 'from-group'),
        toEndpointGroup: str(flags, 'to-group'),
        fromNetwork: str(flags, 'from-network'),
        toNetwork: str(flags, 'to-network'),
        fromIpAddress: str(flags, 'from-ip-address'),
        toIpAddress: str(flags, 'to-ip-address'),
        protocol: str(flags, 'protocol'),
        port: numberFlag(flags, 'port'),
        action: str(flags, 'action') ?? 'allow',
      });
      await createObject(ctx, 'rules', ruleKey(tenant, policy, id), body);
    },
  },
  {
    name: 'rule-rm',
    aliases: ['rule-delete'],
    usage: 'syd net policy rule-rm POLICY ID [-t TENANT]',
    summary: 'delete a rule',
    async run(ctx) {
      const [policy, id] = needArgs(ctx, ['POLICY', 'ID']) as [string, string];
      await deleteObject(ctx, 'rules', ruleKey(ctx.tenant, policy, id));
    },
  },
  {
    name: 'rule-ls',
    aliases: ['rule-list'],
    usage: 'syd net policy rule-ls POLICY [-t TENANT]',
    summary: "a policy's rules, highest priority first",
    async run(ctx) {
      const [policy] = needArgs(ctx, ['POLICY']) as [string];
      await listObjects(
        ctx,
        'rules',
        {
          RULE: (r) => r.ruleId,
          DIRECTION: (r) => r.direction,
          PRIORITY: (r) => r.priority,
          'FROM GROUP': (r) => r.fromEndpointGroup,
          'TO GROUP': (r) => r.toEndpointGroup,
          'FROM NETWORK': (r) => r.fromNetwork,
          'TO NETWORK': (r) => r.toNetwork,
          'FROM IP': (r) => r.fromIpAddress,
          'TO IP': (r) => r.toIpAddress,
          PROTOCOL: (r) => r.protocol,
          PORT: (r) => r.port,
          ACTION: (r) => r.action,
        },
        (r) => r.policyName === policy,
        (a, b) => (b.priority ?? 1) - (a.priority ?? 1) || a.ruleId.localeCompare(b.ruleId),
      );
    },
  },
];

export const policyCommand: Command = netObjectCommand({
  name: 'policy',
  summary: 'policies and their rules: create|rm|ls|inspect|rule-add|rule-rm|rule-ls',
  flags: [
    ALL_FLAG,
    { name: 'priority', short: 'p', kind: 'string', help: 'rule-add: 1..100, higher wins (default 1)' },
    { name: 'direction', short: 'd', kind: 'string', help: 'rule-add: in (default) or out' },
    { name: 'from-group', short: 'g', kind: 'string', help: 'rule-add: source group (in rules)' },
    { name: 'to-group', short: 'e', kind: 'string', help: 'rule-add: destination group (out rules)' },
    { name: 'from-network', short: 'n', kind: 'string', help: 'rule-add: source network (in rules)' },
    { name: 'to-network', short: 'o', kind: 'string', help: 'rule-add: destination network (out rules)' },
    { name: 'from-ip-address', short: 'i', kind: 'string', help: 'rule-add: source address/CIDR (in)' },
    { name: 'to-ip-address', short: 's', kind: 'string', help: 'rule-add: destination address/CIDR (out)' },
    { name: 'protocol', short: 'l', kind: 'string', help: 'rule-add: tcp, udp, icmp or a number' },
    { name: 'port', short: 'P', kind: 'string', help: 'rule-add: port (0: any)' },
    { name: 'action', short: 'j', kind: 'string', help: 'rule-add: allow (default) or deny' },
  ],
  actions: [
    ...crudActions({
      noun: 'policy',
      collection: 'policys',
      createUsage: 'syd net policy create NAME [-t TENANT]',
      body: ({ tenant }, [name]) => ({ tenantName: tenant, policyName: name }),
      columns: { TENANT: (p) => p.tenantName, POLICY: (p) => p.policyName },
    }),
    ...ruleActions,
  ],
});
