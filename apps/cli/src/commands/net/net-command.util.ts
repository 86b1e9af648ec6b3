import type { PathParamsOf, Schemas, Sendable } from '../../core/api-contract.js';
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
export function compact<T extends object>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as T;
}

type Columns<T> = Record<string, (row: T) => unknown>;

/** The collections of the fabric's Contiv API (`networks`, `endpointGroups`, `policys`, …). */
export type Collection = PathParamsOf<'/netmaster/api/v1/{collection}', 'get'>['collection'];

/**
 * A collection's object as the contract declares it: collection `<kind>s` holds the schema
 * `Contiv<Kind>` (both named after the fabric's OBJECT_SPECS), e.g. `policys` → `ContivPolicy`.
 */
export type ContivObject<C extends Collection> = C extends `${infer Kind}s`
  ? Schemas[`Contiv${Capitalize<Kind>}` & keyof Schemas]
  : never;

/** Lists a collection: the tenant's objects (or all with -a), as a table or JSON. */
export async function listObjects<C extends Collection>(
  ctx: NetContext,
  collection: C,
  columns: Columns<ContivObject<C>>,
  filter: (row: ContivObject<C>) => boolean = () => true,
  order?: (a: ContivObject<C>, b: ContivObject<C>) => number,
): Promise<void> {
  const rows = (await listAll(ctx, collection)).filter(
    (o) => (ctx.flags.all ? true : tenantOf(o) === ctx.tenant) && filter(o),
  );
  if (order) rows.sort(order);
  if (ctx.output.json) printJson(ctx.output, rows);
  else printTable(ctx.output, rows, columns);
}

function tenantOf(o: object): unknown {
  return 'tenantName' in o ? o.tenantName : undefined;
}

/** Every object of a collection the caller may see. */
export async function listAll<C extends Collection>(ctx: NetContext, collection: C) {
  const { body } = await ctx.api.get('/netmaster/api/v1/{collection}', {
    path: { collection },
    trailingSlash: true,
  });
  // one route serves every collection; its answer holds the collection's own objects
  return body as ContivObject<C>[];
}

/** One object by its Contiv key. */
export async function getObject<C extends Collection>(ctx: NetContext, collection: C, key: string) {
  const { body } = await ctx.api.get('/netmaster/api/v1/{collection}/{key}', {
    path: { collection, key },
    trailingSlash: true,
  });
  return body as ContivObject<C>;
}

/** Config and Oper as FIELD/VALUE rows (JSON with --json, like netctl's inspect). */
export async function inspectObject(ctx: NetContext, collection: Collection, key: string): Promise<void> {
  const { body } = await ctx.api.get('/netmaster/api/v1/inspect/{collection}/{key}', {
    path: { collection, key },
    trailingSlash: true,
  });
  if (ctx.output.json) return printJson(ctx.output, body);
  const rows = [
    ...Object.entries(body.Config).map(([k, v]) => ({ section: 'Config', k, v })),
    ...Object.entries(body.Oper).map(([k, v]) => ({ section: 'Oper', k, v })),
  ];
  printTable(ctx.output, rows, { SECTION: (r) => r.section, FIELD: (r) => r.k, VALUE: (r) => r.v });
}

/** Create (netctl answers nothing on success; --json prints what the server stored). */
export async function createObject<C extends Collection>(
  ctx: NetContext,
  collection: C,
  key: string,
  body: Sendable<ContivObject<C>>,
) {
  const { body: stored } = await ctx.api.post('/netmaster/api/v1/{collection}/{key}', {
    path: { collection, key },
    body,
    trailingSlash: true,
  });
  if (ctx.output.json) printJson(ctx.output, stored);
}

export async function deleteObject(ctx: NetContext, collection: Collection, key: string) {
  await ctx.api.delete('/netmaster/api/v1/{collection}/{key}', {
    path: { collection, key },
    trailingSlash: true,
  });
}

/** The four verbs every named object of a tenant has. */
export function crudActions<C extends Collection>(spec: {
  noun: string;
  collection: C;
  createUsage: string;
  /** Positional arguments of `create`; the last one is the object's name (default: NAME). */
  createArgs?: string[];
  /** The body of `create`, from its arguments and flags. */
  body(ctx: NetContext, args: string[]): Sendable<ContivObject<C>>;
  columns: Columns<ContivObject<C>>;
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
