import type { Schemas } from '../../core/api-contract.js';
import type { CommandContext, CommandGroup } from '../../core/command.js';
import { str, UsageError } from '../../core/flags.js';
import { centsAmount } from '../../core/money.util.js';
import { printJson, printTable } from '../../core/output.js';

const TENANT = { name: 'tenant', kind: 'string' as const, help: 'another tenant (admins)' };

/** A limit and its use: `6/20`, or `6` with no limit. */
function used(n: number, limit: number | null): string {
  return limit === null ? `${n}` : `${n}/${limit}`;
}

function printQuotas(ctx: CommandContext, list: Schemas['QuotaListDto']): void {
  if (ctx.output.json) return printJson(ctx.output, list);
  ctx.output.out(`quotas of tenant ${list.tenant} (used/limit)`);
  printTable(ctx.output, list.items, {
    SCOPE: (q) => q.environment ?? '(tenant)',
    INSTANCES: (q) => used(q.used.instances, q.limits.instances),
    VCPUS: (q) => used(q.used.vcpus, q.limits.vcpus),
    'MEMORY MIB': (q) => used(q.used.memoryMiB, q.limits.memoryMiB),
    'MONTHLY COST': (q) =>
      q.limits.monthlyCost
        ? `${centsAmount(q.used.monthlyCost!)}/${centsAmount(q.limits.monthlyCost)} ${q.limits.monthlyCost.currency}`
        : '',
  });
}

const int = (ctx: CommandContext, name: string): number | null | undefined => {
  const v = str(ctx.flags, name);
  if (v === undefined || v === '') return undefined;
  if (v === 'none') return null;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number or "none"`);
  return Number(v);
};

export const quotaCommands: CommandGroup = {
  name: 'quota',
  aliases: ['quotas'],
  summary: 'quotas per tenant and environment, and what is used',
  commands: [
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd quota ls [--tenant NAME] [--usage]',
      summary: 'the quotas and what is reserved against each; --usage: reserved and running per environment',
      flags: [TENANT, { name: 'usage', kind: 'bool', help: 'reserved and running per environment' }],
      async run(ctx) {
        const query = { tenant: str(ctx.flags, 'tenant') || undefined };
        if (!ctx.flags.usage) {
          const { body } = await ctx.api.get('/api/v1/quotas', { query });
          return printQuotas(ctx, body);
        }
        const { body } = await ctx.api.get('/api/v1/quotas/usage', { query });
        if (ctx.output.json) return printJson(ctx.output, body);
        const rows = [
          ...body.environments,
          { environment: '(total)', reserved: body.reserved, running: body.running },
        ];
        printTable(ctx.output, rows, {
          ENVIRONMENT: (r) => r.environment,
          'RESERVED INSTANCES': (r) => r.reserved.instances,
          'RUNNING INSTANCES': (r) => r.running.instances,
          'RESERVED VCPUS': (r) => r.reserved.vcpus,
          'RUNNING VCPUS': (r) => r.running.vcpus,
        });
        ctx.output.out(`deployments at rest whose reservation is not what they hold: ${body.mismatched}`);
      },
    },
    {
      name: 'set',
      usage:
        'syd quota set [--tenant NAME] [--env ENV] [--instances N] [--vcpus N] [--memory-mib N] [--monthly-cost AMOUNT --currency CUR]',
      summary:
        "set the tenant's whole quota, or its quota on one environment (admins); none given removes it",
      flags: [
        TENANT,
        { name: 'env', kind: 'string', help: 'the environment (default: the whole tenant)' },
        { name: 'instances', kind: 'string', help: 'instances' },
        { name: 'vcpus', kind: 'string', help: 'vCPUs' },
        { name: 'memory-mib', kind: 'string', help: 'memory in MiB' },
        { name: 'monthly-cost', kind: 'string', help: 'monthly cost, e.g. 500.00' },
        { name: 'currency', kind: 'string', help: 'its currency (default USD)' },
      ],
      async run(ctx) {
        const cost = str(ctx.flags, 'monthly-cost');
        const { body } = await ctx.api.put('/api/v1/quotas', {
          body: {
            tenant: str(ctx.flags, 'tenant') || undefined,
            environment: str(ctx.flags, 'env') || undefined,
            instances: int(ctx, 'instances'),
            vcpus: int(ctx, 'vcpus'),
            memoryMiB: int(ctx, 'memory-mib'),
            monthlyCost: cost ? { amount: cost, currency: str(ctx.flags, 'currency') || 'USD' } : undefined,
          },
        });
        printQuotas(ctx, body);
      },
    },
  ],
};
