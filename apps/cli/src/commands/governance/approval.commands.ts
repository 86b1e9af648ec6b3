import type { CommandGroup } from '../../core/command.js';
import { list, str, UsageError } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';

const money = (m: { amount: string; currency: string }) => `${m.amount} ${m.currency}`;

export const approvalCommands: CommandGroup = {
  name: 'approval',
  summary: 'approvals: the inbox, approve, reject, and the rules that hold orders',
  commands: [
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd approval ls [--all]',
      summary: 'orders waiting for approval (--all: decided ones too)',
      flags: [{ name: 'all', kind: 'bool', help: 'also approved, rejected and expired ones' }],
      async run({ api, output, flags }) {
        const query = flags.all ? { limit: 500 } : { limit: 500, state: 'pending' as const };
        const { body } = await api.get('/api/v1/approvals', { query });
        if (output.json) return printJson(output, body.items);
        printTable(output, body.items, {
          ID: (a) => a.id,
          DEPLOYMENT: (a) => a.deploymentName,
          BLUEPRINT: (a) => a.blueprint,
          'ORDERED BY': (a) => a.requestedBy.name,
          MONTHLY: (a) => money(a.monthlyCost),
          STATE: (a) => a.state,
          EXPIRES: (a) => a.expiresAt,
          WHY: (a) => a.reasons.map((r) => `${r.message} (${r.rule})`).join('; '),
        });
      },
    },
    {
      name: 'approve',
      usage: 'syd approval approve ID [--reason TEXT]',
      summary: 'let the order go ahead (not your own)',
      flags: [{ name: 'reason', kind: 'string', help: 'why, for the record' }],
      async run({ api, output, args, flags }) {
        const { body } = await api.post('/api/v1/approvals/{id}/approve', {
          path: { id: args[0] ?? '' },
          body: { reason: str(flags, 'reason') },
        });
        if (output.json) printJson(output, body);
        else output.out(`approved: ${body.deploymentName} goes ahead`);
      },
    },
    {
      name: 'reject',
      usage: 'syd approval reject ID --reason TEXT',
      summary: 'end the order, saying why (not your own)',
      flags: [{ name: 'reason', kind: 'string', help: 'why (required): the orderer reads it' }],
      async run({ api, output, args, flags }) {
        const reason = str(flags, 'reason');
        if (!reason) throw new UsageError('--reason is required: the orderer reads it');
        const { body } = await api.post('/api/v1/approvals/{id}/reject', {
          path: { id: args[0] ?? '' },
          body: { reason },
        });
        if (output.json) printJson(output, body);
        else output.out(`rejected: ${body.deploymentName}`);
      },
    },
    {
      name: 'rule-create',
      usage:
        'syd approval rule-create NAME [--cost-above AMOUNT] [--currency USD] [--env PATTERN]... [--blueprint PATTERN]... [--expires-after-minutes N]',
      summary: 'orders matching every condition given wait for approval',
      flags: [
        { name: 'cost-above', kind: 'string', help: 'monthly cost above this amount' },
        { name: 'currency', kind: 'string', help: 'of --cost-above (default USD)' },
        { name: 'env', kind: 'list', help: 'placing a tier on one of these (name or * pattern)' },
        { name: 'blueprint', kind: 'list', help: 'of one of these blueprints (name or * pattern)' },
        { name: 'expires-after-minutes', kind: 'string', help: 'a pending approval expires (default 4320)' },
      ],
      async run({ api, output, args, flags }) {
        const above = str(flags, 'cost-above');
        const envs = list(flags, 'env');
        const blueprints = list(flags, 'blueprint');
        const minutes = str(flags, 'expires-after-minutes');
        const { body } = await api.post('/api/v1/approval-rules', {
          body: {
            name: args[0] ?? '',
            monthlyCostAbove: above
              ? { amount: above, currency: str(flags, 'currency') ?? 'USD' }
              : undefined,
            environments: envs.length ? envs : undefined,
            blueprints: blueprints.length ? blueprints : undefined,
            expiresAfterMinutes: minutes === undefined ? undefined : Number(minutes),
          },
        });
        if (output.json) printJson(output, body);
        else output.out(body.id);
      },
    },
    {
      name: 'rule-ls',
      usage: 'syd approval rule-ls',
      summary: 'the approval rules you may see',
      async run({ api, output }) {
        const { body } = await api.get('/api/v1/approval-rules', { query: { limit: 500 } });
        if (output.json) return printJson(output, body.items);
        printTable(output, body.items, {
          ID: (r) => r.id,
          NAME: (r) => r.name,
          'COST ABOVE': (r) => (r.monthlyCostAbove ? money(r.monthlyCostAbove) : '-'),
          ENVIRONMENTS: (r) => r.environments?.join(',') ?? '-',
          BLUEPRINTS: (r) => r.blueprints?.join(',') ?? '-',
          'EXPIRES AFTER': (r) => `${r.expiresAfterMinutes} min`,
        });
      },
    },
    {
      name: 'rule-rm',
      usage: 'syd approval rule-rm ID',
      summary: 'delete an approval rule',
      async run({ api, args }) {
        await api.delete('/api/v1/approval-rules/{id}', { path: { id: args[0] ?? '' } });
      },
    },
  ],
};
