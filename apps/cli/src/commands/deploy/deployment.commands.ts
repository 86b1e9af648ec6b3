import { type BodyOf, fillPath, type PathOf, type Schemas, type Sendable } from '../../core/api-contract.js';
import type { Command, CommandContext, CommandGroup } from '../../core/command.js';
import { str, UsageError } from '../../core/flags.js';
import { costLine, centsAmount } from '../../core/money.util.js';
import { printJson, printTable } from '../../core/output.js';
import { extendCommand } from '../governance/lease.command.js';
import { SETTLED, waitForDeployment } from './order.commands.js';

type ActionBody = Sendable<BodyOf<'/api/v1/deployments/{id}/actions', 'post'>>;

const WAIT = { name: 'wait', short: 'w', kind: 'bool' as const, help: 'wait until the action is done' };

function action(name: 'stop' | 'start' | 'restart' | 'terminate'): Command {
  return {
    name,
    aliases: name === 'terminate' ? ['rm'] : [],
    usage: `syd deployment ${name} ID [--wait]`,
    summary: `${name} a deployment`,
    flags: [WAIT],
    run: (ctx) => act(ctx, { action: name }),
  };
}

async function act(ctx: CommandContext, body: ActionBody): Promise<number> {
  const id = ctx.args[0];
  if (!id) throw new UsageError('ID is required');
  // with --wait, only what the action brings is shown: the events from here on
  const before = ctx.flags.wait
    ? (await ctx.api.get('/api/v1/deployments/{id}/events', { path: { id } })).body.items.at(-1)?.id
    : undefined;
  const { body: accepted } = await ctx.api.post('/api/v1/deployments/{id}/actions', { path: { id }, body });
  if (!ctx.flags.wait) {
    if (ctx.output.json) printJson(ctx.output, accepted);
    else ctx.output.out(`${accepted.id} ${accepted.state}`);
    return 0;
  }
  const final = await waitForDeployment(ctx, id, { after: before });
  if (ctx.output.json) printJson(ctx.output, final);
  else ctx.output.out(`${final.id} ${final.state}`);
  return final.failure ? 1 : 0;
}

/** Reads a Server-Sent Events stream and prints each event until the deployment settles. */
async function follow(ctx: CommandContext, id: string): Promise<void> {
  const events: PathOf<'get'> = '/api/v1/deployments/{id}/events';
  const url = new URL(fillPath(events, { id }), ctx.api.baseUrl);
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...ctx.api.authHeaders() } });
  if (!res.ok || !res.body) throw new UsageError(`cannot follow events: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const e = JSON.parse(data.slice(6)) as Schemas['DeploymentEventDto'];
      if (ctx.output.json) ctx.output.out(JSON.stringify(e));
      else ctx.output.out(`${e.createdAt}  ${e.type.padEnd(18)} ${e.message}`);
      if (e.type === 'state' && SETTLED.has(String(e.data.state))) return;
    }
  }
}

export const deploymentCommands: CommandGroup = {
  name: 'deployment',
  aliases: ['deployments', 'dep'],
  summary: 'watch and act on deployments',
  commands: [
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd deployment ls [--state STATE] [--blueprint NAME] [--env ENV] [--name TEXT]',
      summary: 'deployments, newest first',
      flags: [
        { name: 'state', kind: 'string', help: 'only this state' },
        { name: 'blueprint', kind: 'string', help: 'only this blueprint' },
        { name: 'env', kind: 'string', help: 'only those with a tier on this environment' },
        { name: 'name', kind: 'string', help: 'only names containing this text' },
      ],
      async run(ctx) {
        // an empty flag filters nothing
        const flag = (name: string) => str(ctx.flags, name) || undefined;
        const { body } = await ctx.api.get('/api/v1/deployments', {
          query: {
            limit: 200,
            state: flag('state'),
            blueprint: flag('blueprint'),
            environment: flag('env'),
            q: flag('name'),
          },
        });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        printTable(ctx.output, body.items, {
          ID: (d) => d.id,
          NAME: (d) => d.name,
          STATE: (d) => d.state,
          BLUEPRINT: (d) => `${d.blueprint.name}@${d.blueprint.version}`,
          ENVIRONMENTS: (d) => d.environments,
          'COST SO FAR': (d) => `${centsAmount(d.cost.soFar)} ${d.cost.soFar.currency}`,
        });
      },
    },
    {
      name: 'show',
      usage: 'syd deployment show ID',
      summary: 'state, tiers, instances, what enforces each policy rule, outputs',
      async run(ctx) {
        const { body: d } = await ctx.api.get('/api/v1/deployments/{id}', {
          path: { id: ctx.args[0] ?? '' },
        });
        if (ctx.output.json) return printJson(ctx.output, d);
        ctx.output.out(`${d.name} (${d.id}) ${d.state}  ${d.blueprint.name}@${d.blueprint.version}`);
        ctx.output.out(
          `cost: ${costLine(d.cost.hourly, d.cost.monthly)}, ${centsAmount(d.cost.soFar)} ${d.cost.soFar.currency} so far`,
        );
        if (d.placement.choice)
          ctx.output.out(`placed by ${d.placement.choice.strategy}: ${d.placement.choice.reason}`);
        if (d.failure)
          ctx.output.out(
            `failure: ${d.failure.step} ${d.failure.tier ?? ''} ${d.failure.environment ?? ''}: ${d.failure.message}`,
          );
        const rows = d.tiers.flatMap((t) =>
          t.instances.map((i) => ({ ...i, tier: t.tier, environment: t.environment, type: t.instanceType })),
        );
        printTable(ctx.output, rows, {
          TIER: (r) => `${r.tier}[${r.index}]`,
          ENVIRONMENT: (r) => r.environment,
          TYPE: (r) => r.type,
          RESOURCE: (r) => r.resourceId,
          ADDRESS: (r) => r.address,
          STATE: (r) => r.state,
        });
        const rules = d.tiers.flatMap((t) =>
          (t.enforcement?.rules ?? []).map((r) => ({ ...r, tier: t.tier })),
        );
        if (rules.length) {
          ctx.output.out('');
          printTable(ctx.output, rules, {
            TIER: (r) => r.tier,
            RULE: (r) => r.text,
            'ENFORCED BY': (r) => enforcedBy(r.mechanisms, r.securityGroupGap),
          });
        }
        for (const [k, v] of Object.entries(d.outputs)) ctx.output.out(`${k}: ${v}`);
      },
    },
    {
      name: 'events',
      usage: 'syd deployment events ID [--follow]',
      summary: 'the deployment’s events; --follow streams them live',
      flags: [{ name: 'follow', short: 'f', kind: 'bool', help: 'stream until the deployment settles' }],
      async run(ctx) {
        const id = ctx.args[0] ?? '';
        if (ctx.flags.follow) return follow(ctx, id);
        const { body } = await ctx.api.get('/api/v1/deployments/{id}/events', { path: { id } });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        for (const e of body.items) ctx.output.out(`${e.createdAt}  ${e.type.padEnd(18)} ${e.message}`);
      },
    },
    action('stop'),
    action('start'),
    extendCommand,
    action('restart'),
    action('terminate'),
    {
      name: 'scale',
      usage: 'syd deployment scale ID TIER COUNT [--wait]',
      summary: 'change the instance count of a tier',
      flags: [WAIT],
      run: (ctx) => {
        const [, tier, count] = ctx.args;
        if (!tier || !count || !/^\d+$/.test(count)) throw new UsageError('TIER and COUNT are required');
        return act(ctx, { action: 'scale', tier, count: Number(count) });
      },
    },
  ],
};

/** `security group + nftables`, or `nftables in the guest only (why not the group)`. */
function enforcedBy(mechanisms: readonly string[], gap: string | undefined): string {
  if (mechanisms.includes('security-group') && mechanisms.includes('nftables'))
    return 'security group + nftables';
  if (mechanisms.includes('nftables')) return `nftables in the guest only${gap ? ` (${gap})` : ''}`;
  return mechanisms.length ? mechanisms.join(' + ') : 'nothing';
}
