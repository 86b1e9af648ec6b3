import { ApiClient, CliApiError } from './core/api-client.js';
import type { Command, CommandGroup } from './core/command.js';
import { parseArgs, str, UsageError, type FlagSpec } from './core/flags.js';
import type { Output } from './core/output.js';

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'url', kind: 'string', help: 'Switchyard URL (env SWITCHYARD_URL, default http://localhost:3000)' },
  { name: 'token', kind: 'string', help: 'API token (env SWITCHYARD_TOKEN)' },
  { name: 'output', short: 'o', kind: 'string', help: 'table (default) or json' },
  { name: 'json', kind: 'bool', help: 'same as --output json' },
  { name: 'help', short: 'h', kind: 'bool', help: 'show help' },
];

const find = <T extends { name: string; aliases?: string[] }>(items: T[], name: string | undefined) =>
  items.find((i) => i.name === name || i.aliases?.includes(name ?? ''));

function help(groups: CommandGroup[], group?: CommandGroup): string {
  if (group) {
    return [
      `syd ${group.name}: ${group.summary}`,
      '',
      ...group.commands.map((c) => `  ${c.usage.padEnd(60)} ${c.summary}`),
    ].join('\n');
  }
  return [
    'syd: the Switchyard command line',
    '',
    'usage: syd [--url URL] [--token TOKEN] [--output json] GROUP COMMAND [ARGS] [FLAGS]',
    '',
    ...groups.map((g) => `  ${g.name.padEnd(12)} ${g.summary}`),
    '',
    'Run `syd GROUP --help` for its commands.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const flags = (command.flags ?? []).map(
    (f) => `  ${(f.short ? `-${f.short}, ` : '    ') + `--${f.name}`}`.padEnd(28) + f.help,
  );
  return [
    `usage: ${command.usage}`,
    '',
    command.summary,
    ...(flags.length ? ['', 'flags:', ...flags] : []),
  ].join('\n');
}

/** The first two words that are neither a flag nor the value of a global flag. */
function positionals(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const token = argv[i]!;
    if (!token.startsWith('-')) words.push(token);
    else if (!token.includes('=') && ['--url', '--token', '--output', '-o'].includes(token)) i++;
  }
  return words;
}

/** Runs `syd` with `argv` (without node and the script); returns the exit code. */
export async function runCli(
  argv: string[],
  groups: CommandGroup[],
  env: Record<string, string | undefined>,
  io: { out(text: string): void; err(text: string): void; stdin?(): Promise<string> },
): Promise<number> {
  const [groupName, second] = positionals(argv);
  const group = find(groups, groupName);
  const commandName = group?.command ? undefined : second;
  const command = group?.command ?? (group ? find(group.commands, commandName) : undefined);
  try {
    // A command's own shorts win over global ones: netctl's `rule-add -o TO_NET` is not --output.
    const specs = [...(command?.flags ?? []), ...GLOBAL_FLAGS];
    const { args, flags } = parseArgs(argv, specs);
    if (!group || !command) {
      io[flags.help || !groupName ? 'out' : 'err'](help(groups, group));
      return flags.help || !groupName ? 0 : 2;
    }
    if (flags.help) {
      io.out(commandHelp(command));
      return 0;
    }
    const outputFormat = str(flags, 'output') ?? (flags.json ? 'json' : 'table');
    if (!['json', 'table'].includes(outputFormat)) throw new UsageError('--output must be json or table');
    const output: Output = { json: outputFormat === 'json', out: io.out, err: io.err };
    const api = new ApiClient(
      str(flags, 'url') ?? env.SWITCHYARD_URL ?? 'http://localhost:3000',
      str(flags, 'token') ?? env.SWITCHYARD_TOKEN,
    );
    const rest = [...args];
    rest.splice(rest.indexOf(groupName!), 1);
    if (commandName !== undefined) rest.splice(rest.indexOf(commandName), 1);
    const stdin =
      io.stdin ??
      (() => {
        throw new UsageError('this command reads standard input, which is not available here');
      });
    const code = await command.run({ api, output, args: rest, flags, stdin });
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`syd: ${err.message}`);
      if (command) io.err(`usage: ${command.usage}`);
      return 2;
    }
    if (err instanceof CliApiError) {
      io.err(`error: ${err.message}${err.status ? ` (HTTP ${err.status})` : ''}`);
      for (const d of err.details) {
        const at = d.line ? ` (line ${d.line}${d.column ? `:${d.column}` : ''})` : '';
        io.err(`  ${d.path || '(body)'}: ${d.message}${at}`);
      }
      return 1;
    }
    throw err;
  }
}
