import type { CommandGroup } from '../core/command.js';
import { benchmarkCommands } from './benchmark/benchmark.commands.js';
import { blueprintCommands } from './blueprint.commands.js';
import { cloudCommands } from './cloud/cloud.commands.js';
import { budgetCommands, spendCommand } from './governance/budget.commands.js';
import { quotaCommands } from './governance/quota.commands.js';
import { loginCommand } from './login.commands.js';
import { netCommands } from './net/net.commands.js';
import { tokenCommands } from './token.commands.js';
import { deploymentCommands } from './deploy/deployment.commands.js';
import { orderCommands } from './deploy/order.commands.js';
import { approvalCommands } from './governance/approval.commands.js';
import { entitlementCommands } from './governance/entitlement.commands.js';
import { webhookCommands } from './governance/webhook.commands.js';

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
  quotaCommands,
  budgetCommands,
  spendCommand,
  approvalCommands,
  webhookCommands,
  entitlementCommands,
];
