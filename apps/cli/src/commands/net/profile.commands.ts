import type { Command } from '../../core/command.js';
import { list, str } from '../../core/flags.js';
import { ALL_FLAG, crudActions, netObjectCommand, numberFlag } from './net-command.util.js';

export const netprofileCommand: Command = netObjectCommand({
  name: 'netprofile',
  summary: 'network profiles (bandwidth, DSCP, burst): create|rm|ls|inspect',
  flags: [
    ALL_FLAG,
    { name: 'bandwidth', short: 'b', kind: 'string', help: 'like "10 Gbps", "5Mb", "4g"' },
    { name: 'dscp', short: 'd', kind: 'string', help: 'DSCP mark 0..63' },
    { name: 'burst', short: 's', kind: 'string', help: 'burst size (KB)' },
  ],
  actions: crudActions({
    noun: 'netprofile',
    collection: 'netprofiles',
    createUsage: 'syd net netprofile create NAME [-b BW] [-d DSCP] [-s BURST] [-t TENANT]',
    body: ({ tenant, flags }, [name]) => ({
      tenantName: tenant,
      profileName: name,
      bandwidth: str(flags, 'bandwidth'),
      DSCP: numberFlag(flags, 'dscp'),
      burst: numberFlag(flags, 'burst'),
    }),
    columns: {
      NAME: (p) => p.profileName,
      TENANT: (p) => p.tenantName,
      BANDWIDTH: (p) => p.bandwidth,
      DSCP: (p) => p.DSCP,
      BURST: (p) => p.burst,
    },
  }),
});

export const appProfileCommand: Command = netObjectCommand({
  name: 'app-profile',
  summary: 'application profiles (sets of groups): create|rm|ls|inspect',
  flags: [
    ALL_FLAG,
    { name: 'group', short: 'g', kind: 'list', help: 'endpoint groups (repeat or comma-separate)' },
  ],
  actions: crudActions({
    noun: 'app-profile',
    collection: 'appProfiles',
    createUsage: 'syd net app-profile create NAME -g GROUP,… [-t TENANT]',
    body: ({ tenant, flags }, [name]) => ({
      tenantName: tenant,
      appProfileName: name,
      endpointGroups: list(flags, 'group'),
    }),
    columns: {
      TENANT: (a) => a.tenantName,
      'APP PROFILE': (a) => a.appProfileName,
      GROUPS: (a) => a.endpointGroups,
    },
  }),
});
