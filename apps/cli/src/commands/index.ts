import type { CommandGroup } from '../core/command.js';
import { tokenCommands } from './token.commands.js';

/** Every command group of `syd`. Each domain adds its group here. */
export const GROUPS: CommandGroup[] = [tokenCommands];
