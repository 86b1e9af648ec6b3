import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ApiClient } from '../../core/api-client.js';
import type { Command, CommandContext } from '../../core/command.js';
import { type FlagSpec, UsageError } from '../../core/flags.js';

/** One verb of `syd cloud account|env VERB`. */
export interface CloudAction {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  run(ctx: CommandContext): Promise<number | void>;
}

/** `syd cloud OBJECT VERB ARGS`: the CLI has two levels, so the verb is the first argument. */
export function cloudObjectCommand(spec: {
  name: string;
  aliases?: string[];
  summary: string;
  flags: FlagSpec[];
  actions: CloudAction[];
}): Command {
  return {
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    usage: spec.actions.map((a) => a.usage).join('\n       '),
    summary: spec.summary,
    flags: spec.flags,
    async run(ctx) {
      const [verb, ...args] = ctx.args;
      const action = spec.actions.find((a) => a.name === verb || a.aliases?.includes(verb ?? ''));
      if (!action) {
        const verbs = spec.actions.map((a) => a.name).join('|');
        throw new UsageError(`syd cloud ${spec.name} needs one of ${verbs}${verb ? `, not "${verb}"` : ''}`);
      }
      return action.run({ ...ctx, args });
    },
  };
}

export function needArg(args: string[], what: string, usage: string): string {
  const value = args[0];
  if (!value) throw new UsageError(`missing ${what}: ${usage}`);
  return value;
}

/** A JSON or YAML object from a file (`-` reads stdin, so secrets stay out of the process list). */
export function readObjectFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new UsageError(`${file} is neither JSON nor YAML: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${file} must hold an object`);
  }
  return value as Record<string, unknown>;
}

/** `KEY=VALUE` pairs; `true`/`false` become booleans (vSphere's `insecure`). */
export function readPairs(pairs: string[], flag: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--${flag} takes KEY=VALUE, not "${pair}"`);
    const value = pair.slice(at + 1);
    out[pair.slice(0, at)] = value === 'true' ? true : value === 'false' ? false : value;
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An account given by id or by name (looked up among the accounts you may see). */
export async function accountId(api: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const { body } = await api.get('/api/v1/cloud-accounts', { query: { limit: 500 } });
  const matches = body.items.filter((a) => a.name === ref);
  if (matches.length === 1) return matches[0]!.id;
  throw new UsageError(
    matches.length ? `several accounts are named "${ref}": use the id` : `no cloud account named "${ref}"`,
  );
}
