import type { Command } from '../../core/command.js';
import { list, str } from '../../core/flags.js';
import { ALL_FLAG, crudActions, netObjectCommand } from './net-command.util.js';

export const groupCommand: Command = netObjectCommand({
  name: 'group',
  aliases: ['endpoint-group'],
  summary: 'endpoint groups: create|rm|ls|inspect',
  flags: [
    ALL_FLAG,
    { name: 'policy', short: 'p', kind: 'list', help: 'policies (repeat or comma-separate)' },
    { name: 'ip-pool', short: 'r', kind: 'string', help: 'A.B.C.D-A.B.C.D reserved for the group' },
    { name: 'networkprofile', short: 'n', kind: 'string', help: 'netprofile' },
    { name: 'external-contract', short: 'e', kind: 'list', help: 'external contracts groups' },
    { name: 'tag', kind: 'string', help: 'configured tag (label)' },
  ],
  actions: crudActions({
    noun: 'group',
    collection: 'endpointGroups',
    createArgs: ['NETWORK', 'GROUP'],
    createUsage:
      'syd net group create NETWORK GROUP [-p POLICY…] [-r POOL] [-n PROFILE] [-e EXT…] [-t TENANT]',
    body: ({ tenant, flags }, [network, group]) => ({
      tenantName: tenant,
      groupName: group,
      networkName: network,
      ipPool: str(flags, 'ip-pool'),
      policies: list(flags, 'policy'),
      netProfile: str(flags, 'networkprofile'),
      extContractsGrps: list(flags, 'external-contract'),
      cfgdTag: str(flags, 'tag'),
    }),
    columns: {
      TENANT: (g) => g.tenantName,
      GROUP: (g) => g.groupName,
      NETWORK: (g) => g.networkName,
      'IP POOL': (g) => g.ipPool,
      POLICIES: (g) => g.policies,
      'NETWORK PROFILE': (g) => g.netProfile,
      'EXT CONTRACTS': (g) => g.extContractsGrps,
    },
  }),
});
