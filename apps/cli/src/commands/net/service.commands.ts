import type { Command } from '../../core/command.js';
import { list, str } from '../../core/flags.js';
import { ALL_FLAG, crudActions, netObjectCommand } from './net-command.util.js';

export const serviceCommand: Command = netObjectCommand({
  name: 'service',
  summary: 'service load balancers: create|rm|ls|inspect',
  flags: [
    ALL_FLAG,
    { name: 'network', short: 's', kind: 'string', help: 'network holding the VIP' },
    { name: 'selector', short: 'l', kind: 'list', help: 'provider selectors key=value' },
    { name: 'port', short: 'p', kind: 'list', help: 'svcPort:provPort:TCP|UDP' },
    { name: 'preferred-ip', short: 'ip', kind: 'string', help: 'preferred VIP' },
  ],
  actions: crudActions({
    noun: 'service',
    collection: 'serviceLBs',
    createUsage: 'syd net service create NAME -s NETWORK [-l K=V…] [-p 80:8080:TCP…] [-ip VIP] [-t TENANT]',
    body: ({ tenant, flags }, [name]) => ({
      tenantName: tenant,
      serviceName: name,
      networkName: str(flags, 'network'),
      selectors: list(flags, 'selector'),
      ports: list(flags, 'port'),
      ipAddress: str(flags, 'preferred-ip'),
    }),
    columns: {
      SERVICE: (s) => s.serviceName,
      TENANT: (s) => s.tenantName,
      NETWORK: (s) => s.networkName,
      SELECTORS: (s) => s.selectors,
      PORTS: (s) => s.ports,
      'PREFERRED IP': (s) => s.ipAddress,
    },
  }),
});
