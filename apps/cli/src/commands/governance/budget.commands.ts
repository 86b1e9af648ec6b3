import type { Schemas } from '../../core/api-contract.js';
import type { CommandContext, CommandGroup } from '../../core/command.js';
import { list, str, UsageError } from '../../core/flags.js';
import { centsAmount } from '../../core/money.util.js';
import { printJson, printTable } from '../../core/output.js';

const TENANT = { name: 'tenant', kind: 'string' as const, help: 'another tenant (admins)' };

function printBudget(ctx: CommandContext, b: Schemas['BudgetDto']): void {
  if (ctx.output.json) return printJson(ctx.output, b);
  if (!b.budget) {
    ctx.output.out(`tenant ${b.tenant} has no budget`);
    return;
  }
  const { currency } = b.budget;
  ctx.output.out(`budget of ${b.tenant} for ${b.month.slice(0, 7)}: ${centsAmount(b.budget)} ${currency}`);
  ctx.output.out(
    `forecast (monthly run rate held now): ${centsAmount(b.forecast!)} ${currency} (${b.percent}%)`,
  );
  ctx.output.out(`spent this month: ${centsAmount(b.monthToDate!)} ${currency}`);
  ctx.output.out(`alerts at: ${b.thresholds.map((t) => `${t}%`).join(', ')}`);
  if (b.alerts.length) {
    printTable(ctx.output, b.alerts, {
      THRESHOLD: (a) => `${a.threshold}%`,
      BASIS: (a) => a.basis,
      AT: (a) => `${centsAmount(a.spent)} ${a.spent.currency}`,
      WHEN: (a) => a.createdAt,
    });
  }
}

export const budgetCommands: CommandGroup = {
  name: 'budget',
  summary: "the tenant's monthly budget and its alerts",
  commands: [
    {
      name: 'show',
      usage: 'syd budget show [--tenant NAME]',
      summary: 'the budget, where the month stands, and its alerts',
      flags: [TENANT],
      async run(ctx) {
        const { body } = await ctx.api.get('/api/v1/budget', {
          query: { tenant: str(ctx.flags, 'tenant') || undefined },
        });
        printBudget(ctx, body);
      },
    },
    {
      name: 'set',
      usage: 'syd budget set AMOUNT [--currency CUR] [--threshold PCT]... [--tenant NAME]',
      summary: 'set the monthly budget (operators, admins); alerts at 80% and 100% unless given',
      flags: [
        TENANT,
        { name: 'currency', kind: 'string', help: 'its currency (default USD)' },
        { name: 'threshold', kind: 'list', help: 'a percentage that raises an alert (repeatable)' },
      ],
      async run(ctx) {
        const amount = ctx.args[0];
        if (!amount) throw new UsageError('AMOUNT is required');
        const thresholds = list(ctx.flags, 'threshold').map(Number);
        const { body } = await ctx.api.put('/api/v1/budget', {
          body: {
            tenant: str(ctx.flags, 'tenant') || undefined,
            amount,
            currency: str(ctx.flags, 'currency') || 'USD',
            thresholds: thresholds.length ? thresholds : undefined,
          },
        });
        printBudget(ctx, body);
      },
    },
  ],
};

export const spendCommand: CommandGroup = {
  name: 'spend',
  summary: 'what a tenant spent within a period, per environment or blueprint',
  commands: [],
  command: {
    name: 'spend',
    usage: 'syd spend [--from DATE] [--to DATE] [--by environment|blueprint] [--tenant NAME]',
    summary: 'the spend report (default: this month so far, per environment)',
    flags: [
      TENANT,
      { name: 'from', kind: 'string', help: 'start (ISO date or date-time; default: the 1st of this month)' },
      { name: 'to', kind: 'string', help: 'end (default: now)' },
      { name: 'by', kind: 'string', help: 'environment (default) or blueprint' },
    ],
    async run(ctx) {
      const now = new Date();
      const { body } = await ctx.api.get('/api/v1/spend/report', {
        query: {
          tenant: str(ctx.flags, 'tenant') || undefined,
          from: str(ctx.flags, 'from') || `${now.toISOString().slice(0, 7)}-01T00:00:00Z`,
          to: str(ctx.flags, 'to') || now.toISOString(),
          groupBy: str(ctx.flags, 'by') || undefined,
        },
      });
      if (ctx.output.json) return printJson(ctx.output, body);
      ctx.output.out(`spend of ${body.tenant} from ${body.from} to ${body.to}, by ${body.groupBy}`);
      printTable(ctx.output, body.items, {
        [body.groupBy.toUpperCase()]: (i) => i.key,
        DEPLOYMENTS: (i) => i.deployments,
        SPENT: (i) => `${centsAmount(i.spent)} ${i.spent.currency}`,
      });
      for (const t of body.total) ctx.output.out(`total: ${centsAmount(t)} ${t.currency}`);
    },
  },
};
