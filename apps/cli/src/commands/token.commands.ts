import type { CommandGroup } from '../core/command.js';
import { str } from '../core/flags.js';
import { printJson, printTable } from '../core/output.js';

export const tokenCommands: CommandGroup = {
  name: 'token',
  summary: 'API tokens: who am I, create, list, revoke',
  commands: [
    {
      name: 'whoami',
      usage: 'syd token whoami',
      summary: "the token's user, tenant and role",
      async run({ api, output }) {
        const { body } = await api.get('/api/v1/me');
        if (output.json) printJson(output, body);
        else output.out(`${body.user.name} (${body.role}) in tenant ${body.tenant.name}`);
      },
    },
    {
      name: 'create',
      usage: 'syd token create NAME [--role ROLE] [--user USER_ID] [--expires-in-days N]',
      summary: 'a new token (shown once)',
      flags: [
        { name: 'role', kind: 'string', help: 'admin, operator or member' },
        { name: 'user', kind: 'string', help: 'owner user id (default: you)' },
        { name: 'expires-in-days', kind: 'string', help: 'lifetime in days' },
      ],
      async run({ api, output, args, flags }) {
        const days = str(flags, 'expires-in-days');
        const { body } = await api.post('/api/v1/tokens', {
          body: {
            name: args[0],
            role: str(flags, 'role'),
            userId: str(flags, 'user'),
            expiresInDays: days === undefined ? undefined : Number(days),
          },
        });
        if (output.json) printJson(output, body);
        else output.out(body.token);
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd token ls',
      summary: 'tokens you may see',
      async run({ api, output }) {
        const { body } = await api.get('/api/v1/tokens', { query: { limit: 500 } });
        if (output.json) return printJson(output, body.items);
        printTable(output, body.items, {
          ID: (t) => t.id,
          NAME: (t) => t.name,
          ROLE: (t) => t.role,
          HINT: (t) => t.hint,
          CREATED: (t) => t.createdAt,
          STATE: (t) => (t.revokedAt ? 'revoked' : 'active'),
        });
      },
    },
    {
      name: 'revoke',
      aliases: ['rm'],
      usage: 'syd token revoke ID',
      summary: 'revoke a token',
      async run({ api, args }) {
        await api.delete('/api/v1/tokens/{id}', { path: { id: args[0] ?? '' } });
      },
    },
  ],
};
