import { CommandError, spawnRunner, type CommandRunner } from './command-runner.js';
import { inNetns, saysMissing, type InNetns } from './ip-args.js';
import { InvalidHostValueError, nftFamily, nftTableName, type NftFamily } from './names.js';

export interface NftTable {
  family: NftFamily;
  name: string;
}

// a ruleset runs as root: `include` would let its text read any file of the host (and echo it
// back in an error), so it is refused; rulesets here are self-contained
const INCLUDE = /(^|[\s;{}])include(\s|"|$)/m;
const MAX_RULESET_BYTES = 1024 * 1024;

/** Refuses a ruleset that `nft -f` must not read: too large, or with an `include`. */
export function checkRulesetText(ruleset: string): string {
  if (Buffer.byteLength(ruleset) > MAX_RULESET_BYTES) {
    throw new InvalidHostValueError(
      'ruleset',
      `${ruleset.slice(0, 20)}…`,
      `is larger than ${MAX_RULESET_BYTES} bytes`,
    );
  }
  const withoutComments = ruleset.replace(/#[^\n]*/g, '');
  if (INCLUDE.test(withoutComments)) {
    throw new InvalidHostValueError('ruleset', 'include', 'may not include files');
  }
  return ruleset;
}

/** `nft`, in the agent's namespace or (through `ip netns exec`) in a named one. */
export class NftCommands {
  constructor(private readonly runner: CommandRunner = spawnRunner) {}

  /** Loads a ruleset atomically (`nft -f -`, the text on stdin: no file is read). */
  async load(ruleset: string, where: InNetns = {}): Promise<void> {
    await this.nft(where, ['-f', '-'], checkRulesetText(ruleset));
  }

  /** Parses and checks a ruleset without applying it (`nft -c -f -`). */
  async check(ruleset: string, where: InNetns = {}): Promise<void> {
    await this.nft(where, ['-c', '-f', '-'], checkRulesetText(ruleset));
  }

  /** Deletes a table and everything in it; a missing table is not an error. */
  async deleteTable(family: NftFamily, name: string, where: InNetns = {}): Promise<void> {
    try {
      await this.nft(where, ['delete', 'table', nftFamily(family), nftTableName(name)]);
    } catch (e) {
      if (!(e instanceof CommandError && saysMissing(e.stderr))) throw e;
    }
  }

  async listTables(where: InNetns = {}): Promise<NftTable[]> {
    const { stdout } = await this.nft(where, ['-j', 'list', 'tables']);
    const doc = JSON.parse(stdout || '{"nftables":[]}') as {
      nftables: { table?: { family: NftFamily; name: string } }[];
    };
    return doc.nftables.flatMap((e) => (e.table ? [{ family: e.table.family, name: e.table.name }] : []));
  }

  private async nft(where: InNetns, args: string[], input?: string) {
    const [command, argv] = inNetns(where, 'nft', args);
    return this.runner.run(command, argv, { input });
  }
}
