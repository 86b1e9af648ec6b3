import type { Command } from '../../core/command.js';
import { str, UsageError } from '../../core/flags.js';
import { printJson } from '../../core/output.js';
import {
  compact,
  createObject,
  getObject,
  inspectObject,
  needArgs,
  netObjectCommand,
} from './net-command.util.js';

const FLAG_FIELDS = {
  'fabric-mode': 'networkInfraType',
  'vlan-range': 'vlans',
  'vxlan-range': 'vxlans',
  'fwd-mode': 'fwdMode',
  'arp-mode': 'arpMode',
  'private-subnet': 'pvtSubnet',
} as const;

export const globalCommand: Command = netObjectCommand({
  name: 'global',
  summary: 'fabric-wide settings (tag ranges, forwarding and ARP modes): set|inspect',
  flags: [
    { name: 'fabric-mode', short: 'f', kind: 'string', help: 'default, aci or aci-opflex' },
    { name: 'vlan-range', short: 'v', kind: 'string', help: 'VLAN range a-b within 1..4094' },
    { name: 'vxlan-range', short: 'x', kind: 'string', help: 'VXLAN range a-b, at most 16000 ids' },
    { name: 'fwd-mode', short: 'b', kind: 'string', help: 'bridge or routing' },
    { name: 'arp-mode', short: 'a', kind: 'string', help: 'proxy or flood' },
    { name: 'private-subnet', short: 'p', kind: 'string', help: 'a /16 for host access' },
  ],
  actions: [
    {
      name: 'set',
      usage:
        'syd net global set [-v VLANS] [-x VXLANS] [-b bridge|routing] [-a proxy|flood] [-f MODE] [-p /16]',
      summary: 'change the given settings, keeping the rest (admin)',
      async run(ctx) {
        needArgs(ctx, []);
        const changes = compact(
          Object.fromEntries(
            Object.entries(FLAG_FIELDS).map(([flag, field]) => [field, str(ctx.flags, flag)]),
          ),
        );
        if (Object.keys(changes).length === 0) throw new UsageError('nothing to set: give at least one flag');
        const current = await getObject(ctx, 'globals', 'global');
        const { key: _key, ...fields } = current;
        await createObject(ctx, 'globals', 'global', { ...fields, ...changes });
      },
    },
    {
      name: 'inspect',
      aliases: ['info'],
      usage: 'syd net global inspect',
      summary: 'the settings and tags in use',
      async run(ctx) {
        needArgs(ctx, []);
        await inspectObject(ctx, 'globals', 'global');
      },
    },
  ],
});

export const verdictCommand: Command = {
  name: 'verdict',
  usage: 'syd net verdict FROM TO [-l PROTO] [-P PORT] [-t TENANT]',
  summary: 'may FROM (group, network or IP) reach TO, and which rule decides',
  flags: [
    { name: 'tenant', short: 't', kind: 'string', help: 'tenant (default "default")' },
    { name: 'protocol', short: 'l', kind: 'string', help: 'tcp, udp, icmp or a number' },
    { name: 'port', short: 'P', kind: 'string', help: 'destination port' },
  ],
  async run({ api, output, args, flags }) {
    const [from, to, extra] = args;
    if (!from || !to || extra !== undefined) throw new UsageError('give FROM and TO');
    const { body } = await api.get('/api/v1/fabric/verdict', {
      query: {
        tenant: str(flags, 'tenant') ?? 'default',
        from,
        to,
        protocol: str(flags, 'protocol'),
        port: str(flags, 'port'),
      },
    });
    if (output.json) return printJson(output, body);
    const why =
      body.decidedBy === 'default allow'
        ? 'no rule matches: default allow'
        : `rule ${body.decidedBy.policy}:${body.decidedBy.ruleId} ` +
          `(priority ${body.decidedBy.priority}, ${body.decidedBy.direction})`;
    output.out(`${body.action}  ${why}`);
  },
};
