import type { ApiClient } from './api-client.js';
import type { FlagSpec, FlagValues } from './flags.js';
import type { Output } from './output.js';

export interface CommandContext {
  api: ApiClient;
  output: Output;
  args: string[];
  flags: FlagValues;
  /** Everything on standard input (a password given with --password-stdin). */
  stdin(): Promise<string>;
}

/** One `syd GROUP NAME` command. Returns the process exit code (default 0). */
export interface Command {
  name: string;
  /** Other names (netctl's `ls` for `list`, `rm` for `delete`). */
  aliases?: string[];
  usage: string;
  summary: string;
  flags?: FlagSpec[];
  run(ctx: CommandContext): Promise<number | void>;
}

export interface CommandGroup {
  name: string;
  aliases?: string[];
  summary: string;
  commands: Command[];
  /** A group that is one command itself, with no command word after it (`syd login`). */
  command?: Command;
}
