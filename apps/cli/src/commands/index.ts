import type { CommandGroup } from '../core/command.js';
import { benchmarkCommands } from './benchmark/benchmark.commands.js';
import { blueprintCommands } from './blueprint.commands.js';
import { cloudCommands } from './cloud/cloud.commands.js';
import { loginCommand } from './login.commands.js';
import { netCommands } from './net/net.commands.js';
import { tokenCommands } from './token.commands.js';
import { deploymentCommands } from './deploy/deployment.commands.js';
import { orderCommands } from './deploy/order.commands.js';

/** Every command group of `syd`. Each domain adds its group here. */
export const GROUPS: CommandGroup[] = [
  loginCommand,
  tokenCommands,
  netCommands,
  blueprintCommands,
  orderCommands,
  deploymentCommands,
  benchmarkCommands,
  cloudCommands,
];
