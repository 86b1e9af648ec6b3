import { spawn } from 'node:child_process';

/** What a command printed. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin (e.g. a ruleset for `nft -f -`). */
  input?: string | Buffer;
  timeoutMs?: number;
}

/**
 * Runs one program with an argv array, never through a shell. Every host-network wrapper goes
 * through this port, so unit tests can check the exact argv with a fake.
 */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<CommandOutput>;
}

/** A command that exited non-zero (or could not start, or timed out). */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} ${args.join(' ')}: ${stderr.trim() || `exit ${exitCode}`}`);
    this.name = 'CommandError';
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
// answers are small (link lists, rulesets); a runaway command is cut off instead of filling memory
const MAX_OUTPUT = 8 * 1024 * 1024;

/** The real runner: `spawn` with `shell: false`. */
export const spawnRunner: CommandRunner = {
  run(command, args, options = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], { shell: false, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      const keep = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_OUTPUT) into.push(chunk);
      };
      child.stdout.on('data', keep(out));
      child.stderr.on('data', keep(err));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new CommandError(command, args, null, e.message));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) resolve({ stdout, stderr });
        else reject(new CommandError(command, args, code, stderr || (signal ? `killed by ${signal}` : '')));
      });
      // a command that does not read its stdin closes it early: that is not an error here
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  },
};
