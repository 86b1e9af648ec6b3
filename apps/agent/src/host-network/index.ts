export { AddressCommands } from './addresses.js';
export {
  CgroupCommands,
  detectCgroupLayout,
  type AppliedLimits,
  type CgroupLayout,
  type CgroupLimits,
} from './cgroups.js';
export {
  CommandError,
  spawnRunner,
  type CommandOutput,
  type CommandRunner,
  type RunOptions,
} from './command-runner.js';
export { HostNetwork } from './host-network.js';
export { inNetns, ipArgs, type InNetns } from './ip-args.js';
export { LinkCommands, type LinkInfo, type VxlanOptions } from './links.js';
export * as hostNames from './names.js';
export { InvalidHostValueError } from './names.js';
export { NetnsCommands } from './netns.js';
export { NftCommands, checkRulesetText, type NftTable } from './nftables.js';
export { SetupFailedError, UndoStack, withUndo } from './undo.js';
