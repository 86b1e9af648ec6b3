import type { Command } from '../../core/command.js';
import { str } from '../../core/flags.js';
import { ALL_FLAG, crudActions, netObjectCommand, numberFlag } from './net-command.util.js';

export const networkCommand: Command = netObjectCommand({
  name: 'net',
  aliases: ['network'],
  summary: 'networks: create|rm|ls|inspect',
  flags: [
    ALL_FLAG,
    { name: 'subnet', short: 's', kind: 'string', help: 'A.B.C.D/len or A.B.C.D-A.B.C.D/len' },
    { name: 'gateway', short: 'g', kind: 'string', help: 'gateway inside the subnet' },
    { name: 'encap', short: 'e', kind: 'string', help: 'vlan or vxlan (default vxlan, as netctl)' },
    { name: 'pkt-tag', short: 'p', kind: 'string', help: 'VLAN/VXLAN id (default: lowest free)' },
    { name: 'nw-type', short: 'n', kind: 'string', help: 'data (default) or infra' },
    { name: 'subnetv6', kind: 'string', help: 'IPv6 prefix/len' },
    { name: 'gatewayv6', kind: 'string', help: 'IPv6 gateway' },
    { name: 'tag', kind: 'string', help: 'configured tag (label)' },
  ],
  actions: crudActions({
    noun: 'net',
    collection: 'networks',
    createUsage:
      'syd net net create NAME -s SUBNET [-g GW] [-e vlan|vxlan] [-p TAG] [-n data|infra] ' +
      '[--subnetv6 P] [--gatewayv6 GW] [-t TENANT]',
    body: ({ tenant, flags }, [name]) => ({
      tenantName: tenant,
      networkName: name,
      encap: str(flags, 'encap') ?? 'vxlan',
      pktTag: numberFlag(flags, 'pkt-tag'),
      subnet: str(flags, 'subnet'),
      gateway: str(flags, 'gateway'),
      ipv6Subnet: str(flags, 'subnetv6'),
      ipv6Gateway: str(flags, 'gatewayv6'),
      nwType: str(flags, 'nw-type'),
      cfgdTag: str(flags, 'tag'),
    }),
    columns: {
      TENANT: (n) => n.tenantName,
      NETWORK: (n) => n.networkName,
      'NW TYPE': (n) => n.nwType,
      ENCAP: (n) => n.encap,
      'PKT TAG': (n) => n.pktTag,
      SUBNET: (n) => n.subnet,
      GATEWAY: (n) => n.gateway,
      'IPV6 SUBNET': (n) => n.ipv6Subnet,
      'IPV6 GATEWAY': (n) => n.ipv6Gateway,
    },
  }),
});
