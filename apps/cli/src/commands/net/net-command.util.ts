import type { Command, CommandContext } from '../../core/command.js';
import { type FlagSpec, type FlagValues, str, UsageError } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';

/** One netctl verb of an object command (`create`, `rm`, `rule-add`, …). */
export interface NetAction {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  run(ctx: NetContext): Promise<void>;
}

/** A command's context with the verb removed from `args` and the tenant (`-t`, default `default`). */
export interface NetContext extends CommandContext {
  tenant: string;
}

export const TENANT_FLAG: FlagSpec = {
  name: 'tenant',
  short: 't',
  kind: 'string',
  help: 'tenant (default "default")',
};
export const ALL_FLAG: FlagSpec = {
  name: 'all',
  short: 'a',
  kind: 'bool',
  help: 'ls: every tenant you may see',
};

/**
 * `syd net OBJECT VERB ARGS`: the CLI has two levels (group, command), so each netctl object is a
 * command whose first argument is the verb. Its flags are the union of its verbs' flags, which
 * netctl keeps consistent within one object.
 */
export function netObjectCommand(spec: {
  name: string;
  aliases?: string[];
  summary: string;
  flags: FlagSpec[];
  actions: NetAction[];
}): Command {
  return {
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    usage: spec.actions.map((a) => a.usage).join('\n       '),
    summary: spec.summary,
    flags: [TENANT_FLAG, ...spec.flags],
    async run(ctx) {
      const [verb, ...args] = ctx.args;
      const action = spec.actions.find((a) => a.name === verb || a.aliases?.includes(verb ?? ''));
      if (!action) {
        const verbs = spec.actions.map((a) => a.name).join('|');
        throw new UsageError(`syd net ${spec.name} needs one of ${verbs}${verb ? `, not "${verb}"` : ''}`);
      }
      await action.run({ ...ctx, args, tenant: str(ctx.flags, 'tenant') ?? 'default' });
    },
  };
}

/** `/netmaster/api/v1/<collection>/<key>/` (or `inspect/…`), as netctl calls it. */
export function contivPath(collection: string, key?: string, inspect = false): string {
  const base = `/netmaster/api/v1/${inspect ? 'inspect/' : ''}${collection}/`;
  return key === undefined ? base : `${base}${encodeURIComponent(key)}/`;
}

/** The positional arguments a verb needs, or a usage error naming the first missing one. */
export function needArgs(ctx: NetContext, names: string[]): string[] {
  const missing = names.slice(ctx.args.length);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(' ')}`);
  if (ctx.args.length > names.length) throw new UsageError(`unexpected argument "${ctx.args[names.length]}"`);
  return ctx.args.slice(0, names.length);
}

/** A number flag sent as a number; anything else is sent as given, so the server names the rule. */
export function numberFlag(flags: FlagValues, name: string): number | string | undefined {
  const value = str(flags, name);
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** Drops undefined fields, so the server applies its defaults. */
export function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

type Columns<T> = Record<string, (row: T) => unknown>;

/** Lists a collection: the tenant's objects (or all with -a), as a table or JSON. */
export async function listObjects<T extends { tenantName?: string }>(
  ctx: NetContext,
  collection: string,
  columns: Columns<T>,
  filter: (row: T) => boolean = () => true,
  order?: (a: T, b: T) => number,
): Promise<void> {
  const { body } = await ctx.api.get<T[]>(contivPath(collection));
  const rows = body.filter((o) => (ctx.flags.all ? true : o.tenantName === ctx.tenant) && filter(o));
  if (order) rows.sort(order);
  if (ctx.output.json) printJson(ctx.output, rows);
  else printTable(ctx.output, rows, columns);
}

/** Config and Oper as FIELD/VALUE rows (JSON with --json, like netctl's inspect). */
export async function inspectObject(ctx: NetContext, collection: string, key: string): Promise<void> {
  const { body } = await ctx.api.get<{ Config: object; Oper: object }>(contivPath(collection, key, true));
  if (ctx.output.json) return printJson(ctx.output, body);
  const rows = [
    ...Object.entries(body.Config).map(([k, v]) => ({ section: 'Config', k, v })),
    ...Object.entries(body.Oper).map(([k, v]) => ({ section: 'Oper', k, v })),
  ];
  printTable(ctx.output, rows, { SECTION: (r) => r.section, FIELD: (r) => r.k, VALUE: (r) => r.v });
}

/** Create (netctl answers nothing on success; --json prints what the server stored). */
export async function createObject(ctx: NetContext, collection: string, key: string, body: object) {
  const { body: stored } = await ctx.api.post(contivPath(collection, key), body);
  if (ctx.output.json) printJson(ctx.output, stored);
}

export async function deleteObject(ctx: NetContext, collection: string, key: string) {
  await ctx.api.delete(contivPath(collection, key));
}

/** The four verbs every named object of a tenant has. */
export function crudActions<T extends { tenantName?: string }>(spec: {
  noun: string;
  collection: string;
  createUsage: string;
  /** Positional arguments of `create`; the last one is the object's name (default: NAME). */
  createArgs?: string[];
  /** The body of `create`, from its arguments and flags. */
  body(ctx: NetContext, args: string[]): Record<string, unknown>;
  columns: Columns<T>;
}): NetAction[] {
  const { noun, collection } = spec;
  const keyOf = (ctx: NetContext, name: string) => `${ctx.tenant}:${name}`;
  return [
    {
      name: 'create',
      aliases: ['add'],
      usage: spec.createUsage,
      summary: `create or update a ${noun}`,
      async run(ctx) {
        const args = needArgs(ctx, spec.createArgs ?? ['NAME']);
        const name = args[args.length - 1] ?? '';
        await createObject(ctx, collection, keyOf(ctx, name), compact(spec.body(ctx, args)));
      },
    },
    {
      name: 'rm',
      aliases: ['delete'],
      usage: `syd net ${noun} rm NAME [-t TENANT]`,
      summary: `delete a ${noun}`,
      async run(ctx) {
        const [name] = needArgs(ctx, ['NAME']) as [string];
        await deleteObject(ctx, collection, keyOf(ctx, name));
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: `syd net ${noun} ls [-t TENANT | -a]`,
      summary: `list ${noun}s`,
      run: (ctx) => listObjects(ctx, collection, spec.columns),
    },
    {
      name: 'inspect',
      usage: `syd net ${noun} inspect NAME [-t TENANT]`,
      summary: `config and state of a ${noun}`,
      async run(ctx) {
        const [name] = needArgs(ctx, ['NAME']) as [string];
        await inspectObject(ctx, collection, keyOf(ctx, name));
      },
    },
  ];
}
