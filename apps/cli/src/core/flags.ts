/**
 * Command-line flags, netctl style: long `--subnet X` / `--subnet=X`, short `-s X`, and
 * multi-letter shorts such as `-ip` that netctl uses. Only declared flags are accepted.
 */
export interface FlagSpec {
  name: string;
  short?: string;
  kind: 'string' | 'bool' | 'list';
  help: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export class UsageError extends Error {}

export function parseArgs(argv: string[], specs: FlagSpec[]): { args: string[]; flags: FlagValues } {
  const flags: FlagValues = {};
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      args.push(token);
      continue;
    }
    const [raw, inline] = token.includes('=')
      ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
      : [token, undefined];
    const spec = raw.startsWith('--')
      ? specs.find((s) => s.name === raw.slice(2))
      : (specs.find((s) => s.short === raw.slice(1)) ?? specs.find((s) => s.name === raw.slice(1)));
    if (!spec) throw new UsageError(`unknown flag ${raw}`);
    if (spec.kind === 'bool') {
      flags[spec.name] = inline === undefined ? true : !['false', '0', 'no'].includes(inline);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`flag ${raw} needs a value`);
    if (spec.kind === 'list') {
      const list = (flags[spec.name] as string[] | undefined) ?? [];
      list.push(...value.split(',').filter(Boolean));
      flags[spec.name] = list;
    } else {
      flags[spec.name] = value;
    }
  }
  return { args, flags };
}

export function str(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(flags: FlagValues, name: string): string[] {
  const v = flags[name];
  return Array.isArray(v) ? v : [];
}
