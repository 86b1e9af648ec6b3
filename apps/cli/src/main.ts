#!/usr/bin/env node
import { runCli } from './cli.js';
import { GROUPS } from './commands/index.js';
import { UsageError } from './core/flags.js';

async function readStdin(): Promise<string> {
  // a secret typed at a terminal would be echoed; it comes from a pipe or a file
  if (process.stdin.isTTY) {
    throw new UsageError('standard input is a terminal: pipe the password in, e.g. syd login … < FILE');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// `syd … | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), GROUPS, process.env, {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  stdin: readStdin,
});
