import { AddressCommands } from './addresses.js';
import { spawnRunner, type CommandRunner } from './command-runner.js';
import { LinkCommands } from './links.js';
import { NetnsCommands } from './netns.js';
import { NftCommands } from './nftables.js';

/** The `ip`, `bridge` and `nft` wrappers sharing one command runner. */
export class HostNetwork {
  readonly netns: NetnsCommands;
  readonly links: LinkCommands;
  readonly addresses: AddressCommands;
  readonly nft: NftCommands;

  constructor(readonly runner: CommandRunner = spawnRunner) {
    this.netns = new NetnsCommands(runner);
    this.links = new LinkCommands(runner);
    this.addresses = new AddressCommands(runner);
    this.nft = new NftCommands(runner);
  }
}
