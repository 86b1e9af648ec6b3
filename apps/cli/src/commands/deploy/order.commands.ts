import type { CommandGroup, CommandContext } from '../../core/command.js';
import { list, str, UsageError } from '../../core/flags.js';
import { printJson } from '../../core/output.js';
import type { Schemas } from '../../core/api-contract.js';
import { costLine } from '../../core/money.util.js';
import { progressLine, runningLine } from './deployment-progress.util.js';

/** `k=v` pairs to an object; values that look like numbers or booleans become them. */
export function pairs(items: string[], flag: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} takes key=value, got "${item}"`);
    const raw = item.slice(eq + 1);
    out[item.slice(0, eq)] = /^-?\d+(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw;
  }
  return out;
}

/** The states a deployment rests in until someone acts. */
export const SETTLED: ReadonlySet<string> = new Set<Schemas['DeploymentDetailDto']['state']>([
  'running',
  'stopped',
  'failed',
  'terminated',
]);

/**
 * Polls the deployment and its events until it settles, printing each build step as it ends
 * (network → provision → configure → running, with times), policy warnings and each tier's count.
 * `after`: the last event already seen (an action on an older deployment starts from there).
 */
export async function waitForDeployment(
  ctx: CommandContext,
  id: string,
  { after, timeoutMs = 30 * 60_000 }: { after?: string; timeoutMs?: number } = {},
): Promise<Schemas['DeploymentDetailDto']> {
  const seen = new Map<string, string>();
  const say = (key: string, line: string | null) => {
    if (line === null || seen.get(key) === line) return;
    seen.set(key, line);
    if (!ctx.output.json) ctx.output.err(line);
  };
  let cursor = after;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body: d } = await ctx.api.get('/api/v1/deployments/{id}', { path: { id } });
    const { body: events } = await ctx.api.get('/api/v1/deployments/{id}/events', {
      path: { id },
      query: { after: cursor },
    });
    for (const e of events.items) say(`event ${e.id}`, progressLine(e, d.createdAt));
    cursor = events.items.at(-1)?.id ?? cursor;
    for (const t of d.tiers) {
      const running = t.instances.filter((i) => i.state === 'running').length;
      say(
        `tier ${t.tier}`,
        `  ${t.tier.padEnd(12)} ${t.environment.padEnd(18)} ${running}/${t.count} running`,
      );
    }
    if (d.state === 'running') say('running', runningLine(d));
    else say('state', `state: ${d.state}`);
    if (SETTLED.has(d.state) && d.step === 'done') return d;
    if (d.state === 'failed' && d.step !== 'rollback') return d;
    if (Date.now() > deadline)
      throw new UsageError(`gave up waiting after ${timeoutMs / 1000}s; the deployment goes on`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export const orderCommands: CommandGroup = {
  name: 'order',
  summary: 'order a blueprint: the deployment it becomes',
  commands: [
    {
      name: 'create',
      usage:
        'syd order create BLUEPRINT[@RANGE] (--env ENV | --strategy best-value|fastest|cheapest-meeting-slo --among ENV,ENV) [-p k=v]... [--tier-env tier=ENV]... [--name NAME] [--idempotency-key K] [--wait]',
      summary: 'order a blueprint; with --wait, follow it until it runs or fails',
      flags: [
        { name: 'param', short: 'p', kind: 'list', help: 'parameter value key=value (repeatable)' },
        { name: 'env', short: 'e', kind: 'string', help: 'environment of every tier' },
        { name: 'tier-env', kind: 'list', help: 'environment of one tier: tier=ENV (repeatable)' },
        {
          name: 'strategy',
          kind: 'string',
          help: 'instead of --env: let the latest benchmark results choose (best-value, fastest, cheapest-meeting-slo)',
        },
        {
          name: 'among',
          kind: 'string',
          help: 'with --strategy: the environments to choose from, comma-separated',
        },
        { name: 'name', short: 'n', kind: 'string', help: 'deployment name (default: from the blueprint)' },
        { name: 'lease-hours', kind: 'string', help: 'terminate after this many hours' },
        { name: 'no-rollback', kind: 'bool', help: 'keep what was made when a step fails' },
        { name: 'idempotency-key', kind: 'string', help: 'repeat-safe key (CI)' },
        { name: 'wait', short: 'w', kind: 'bool', help: 'follow progress until running or failed' },
      ],
      async run(ctx) {
        const { args, flags } = ctx;
        const blueprint = args[0];
        const env = str(flags, 'env');
        const strategy = str(flags, 'strategy') as
          'best-value' | 'fastest' | 'cheapest-meeting-slo' | undefined;
        const among = (str(flags, 'among') ?? '').split(',').filter(Boolean);
        if (!blueprint || (!env && !strategy))
          throw new UsageError('BLUEPRINT and --env (or --strategy) are required');
        const name = str(flags, 'name') ?? `${blueprint.split('@')[0]}-${Date.now().toString(36)}`;
        const lease = str(flags, 'lease-hours');
        const key = str(flags, 'idempotency-key');
        const { body } = await ctx.api.post('/api/v1/orders', {
          body: {
            blueprint,
            name,
            parameters: pairs(list(flags, 'param'), '-p'),
            placement: {
              ...(env ? { default: env } : {}),
              ...(strategy ? { strategy, among } : {}),
              tiers: pairs(list(flags, 'tier-env'), '--tier-env'),
            },
            ...(lease ? { leaseHours: Number(lease) } : {}),
            ...(flags['no-rollback'] ? { rollbackOnFailure: false } : {}),
          },
          headers: key ? { 'idempotency-key': key } : {},
        });
        if (!flags.wait) {
          if (ctx.output.json) printJson(ctx.output, body);
          else ctx.output.out(body.id);
          return;
        }
        const final = await waitForDeployment(ctx, body.id);
        if (ctx.output.json) printJson(ctx.output, final);
        else {
          ctx.output.out(`${final.id} ${final.state}`);
          if (final.placement.choice)
            ctx.output.out(`placed by ${final.placement.choice.strategy}: ${final.placement.choice.reason}`);
          ctx.output.out(`cost: ${costLine(final.cost.hourly, final.cost.monthly)}`);
          for (const [k, v] of Object.entries(final.outputs)) ctx.output.out(`  ${k}: ${v}`);
          if (final.failure)
            ctx.output.err(
              `failed at ${final.failure.step}${final.failure.tier ? ` (${final.failure.tier})` : ''}: ${final.failure.message}`,
            );
        }
        return final.state === 'running' ? 0 : 1;
      },
    },
  ],
};
