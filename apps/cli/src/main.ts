#!/usr/bin/env node
import { runCli } from './cli.js';
import { GROUPS } from './commands/index.js';

process.exitCode = await runCli(process.argv.slice(2), GROUPS, process.env, {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
