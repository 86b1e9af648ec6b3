export { runCli } from './cli.js';
export { GROUPS } from './commands/index.js';
