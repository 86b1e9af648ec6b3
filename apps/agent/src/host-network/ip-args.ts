import { netnsName } from './names.js';

/** Where a command acts: the caller's network namespace, or a named one. */
export interface InNetns {
  /** A namespace under /run/netns; absent: the namespace the agent runs in. */
  netns?: string;
}

/** `ip [-n NS] ...args`. */
export function ipArgs(where: InNetns, ...args: string[]): string[] {
  return where.netns === undefined ? args : ['-n', netnsName(where.netns), ...args];
}

/** `ip netns exec NS command ...args`, or the command itself when no namespace is given. */
export function inNetns(where: InNetns, command: string, args: readonly string[]): [string, string[]] {
  if (where.netns === undefined) return [command, [...args]];
  return ['ip', ['netns', 'exec', netnsName(where.netns), command, ...args]];
}

/** Whether a failed `ip`/`nft` said the object is not there (for idempotent deletes). */
export function saysMissing(stderr: string): boolean {
  return /cannot find device|does not exist|no such file or directory|no such process|not found/i.test(
    stderr,
  );
}
