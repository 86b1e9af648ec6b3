import type { Command } from '../../core/command.js';
import { printJson, printTable } from '../../core/output.js';
import {
  createObject,
  deleteObject,
  inspectObject,
  listAll,
  needArgs,
  netObjectCommand,
} from './net-command.util.js';

// Tenants are keyed by their name alone, so they do not use crudActions (which prefix -t TENANT).
export const tenantCommand: Command = netObjectCommand({
  name: 'tenant',
  summary: 'tenants (each is a Switchyard tenant): create|rm|ls|inspect',
  flags: [],
  actions: [
    {
      name: 'create',
      aliases: ['add'],
      usage: 'syd net tenant create NAME',
      summary: 'create a tenant (admin)',
      async run(ctx) {
        const [name] = needArgs(ctx, ['NAME']) as [string];
        await createObject(ctx, 'tenants', name, { tenantName: name });
      },
    },
    {
      name: 'rm',
      aliases: ['delete'],
      usage: 'syd net tenant rm NAME',
      summary: 'delete an empty tenant (admin)',
      async run(ctx) {
        const [name] = needArgs(ctx, ['NAME']) as [string];
        await deleteObject(ctx, 'tenants', name);
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd net tenant ls',
      summary: 'tenants you may see',
      async run(ctx) {
        needArgs(ctx, []);
        const body = await listAll(ctx, 'tenants');
        if (ctx.output.json) return printJson(ctx.output, body);
        printTable(ctx.output, body, {
          NAME: (t) => t.tenantName,
          'DEFAULT NETWORK': (t) => t.defaultNetwork,
        });
      },
    },
    {
      name: 'inspect',
      usage: 'syd net tenant inspect NAME',
      summary: "a tenant's config and counts",
      async run(ctx) {
        const [name] = needArgs(ctx, ['NAME']) as [string];
        await inspectObject(ctx, 'tenants', name);
      },
    },
  ],
});
