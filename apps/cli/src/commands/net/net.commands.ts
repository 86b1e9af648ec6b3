import type { CommandGroup } from '../../core/command.js';
import { bgpCommand, endpointCommand, versionCommand } from './bgp.commands.js';
import { globalCommand, verdictCommand } from './global.commands.js';
import { groupCommand } from './group.commands.js';
import { networkCommand } from './network.commands.js';
import { policyCommand } from './policy.commands.js';
import { appProfileCommand, netprofileCommand } from './profile.commands.js';
import { serviceCommand } from './service.commands.js';
import { tenantCommand } from './tenant.commands.js';

/** `syd net …`: netctl's commands and flags against the Contiv-compatible API under /netmaster. */
export const netCommands: CommandGroup = {
  name: 'net',
  summary:
    'network fabric, netctl style: tenant, net, group, policy, netprofile, app-profile, service, global, bgp, endpoint, version',
  commands: [
    tenantCommand,
    networkCommand,
    groupCommand,
    policyCommand,
    netprofileCommand,
    appProfileCommand,
    serviceCommand,
    globalCommand,
    bgpCommand,
    endpointCommand,
    versionCommand,
    verdictCommand,
  ],
};
