import type { CommandGroup } from '../../core/command.js';
import { list } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';

export const webhookCommands: CommandGroup = {
  name: 'webhook',
  summary: 'signed webhooks: subscribe, list, remove, delivery log, allowed internal targets',
  commands: [
    {
      name: 'create',
      usage: 'syd webhook create URL --event TYPE...',
      summary: 'subscribe URL to event types (* for all); prints the signing secret once',
      flags: [{ name: 'event', kind: 'list', help: 'an event type, e.g. approval.requested, or *' }],
      async run({ api, output, args, flags }) {
        const { body } = await api.post('/api/v1/webhooks', {
          body: { url: args[0] ?? '', eventTypes: list(flags, 'event') },
        });
        if (output.json) printJson(output, body);
        else output.out(`${body.id}\nsigning secret (shown once): ${body.secret}`);
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd webhook ls',
      summary: 'webhook subscriptions',
      async run({ api, output }) {
        const { body } = await api.get('/api/v1/webhooks', { query: { limit: 500 } });
        if (output.json) return printJson(output, body.items);
        printTable(output, body.items, {
          ID: (w) => w.id,
          URL: (w) => w.url,
          EVENTS: (w) => w.eventTypes.join(','),
          SECRET: (w) => w.secret,
        });
      },
    },
    {
      name: 'rm',
      aliases: ['delete'],
      usage: 'syd webhook rm ID',
      summary: 'remove a subscription and its delivery log',
      async run({ api, args }) {
        await api.delete('/api/v1/webhooks/{id}', { path: { id: args[0] ?? '' } });
      },
    },
    {
      name: 'deliveries',
      usage: 'syd webhook deliveries ID',
      summary: 'the delivery log: status, attempts, last response, next try',
      async run({ api, output, args }) {
        const { body } = await api.get('/api/v1/webhooks/{id}/deliveries', {
          path: { id: args[0] ?? '' },
          query: { limit: 500 },
        });
        if (output.json) return printJson(output, body.items);
        printTable(output, body.items, {
          ID: (d) => d.id,
          EVENT: (d) => d.eventType,
          STATUS: (d) => d.status,
          ATTEMPTS: (d) => d.attempts,
          'LAST CODE': (d) => d.lastStatusCode ?? d.lastError ?? '-',
          'NEXT TRY': (d) => d.nextAttemptAt ?? '-',
          CREATED: (d) => d.createdAt,
        });
      },
    },
    {
      name: 'allow',
      usage: 'syd webhook allow [TARGET...]',
      summary: 'admins: the internal hosts/addresses/CIDRs webhooks may call (none: only public ones)',
      async run({ api, output, args }) {
        const { body } = await api.put('/api/v1/webhook-settings', { body: { allowedTargets: args } });
        if (output.json) printJson(output, body);
        else
          output.out(body.allowedTargets.length ? body.allowedTargets.join('\n') : '(public addresses only)');
      },
    },
  ],
};
