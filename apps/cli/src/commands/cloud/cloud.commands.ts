import type { CommandGroup } from '../../core/command.js';
import { accountCommand } from './account.commands.js';
import { envCommand } from './env.commands.js';

/** `syd cloud account|env VERB …`: cloud accounts and environments. */
export const cloudCommands: CommandGroup = {
  name: 'cloud',
  summary: 'clouds: account (ls, show, create, update, rm, test, sync), env (ls, show, create, rm, catalog)',
  commands: [accountCommand, envCommand],
};
