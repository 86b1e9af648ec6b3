import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const cli = resolve(import.meta.dirname, '../../apps/cli/dist/main.js');

export interface SydRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `syd` as a user would: its own process, only PATH and `env` in its environment,
 * `input` (if any) on its standard input.
 */
export function runSyd(args: string[], env: Record<string, string> = {}, input?: string): Promise<SydRun> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => ok({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
