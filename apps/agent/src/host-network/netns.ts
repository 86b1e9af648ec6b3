import { CommandError, spawnRunner, type CommandRunner } from './command-runner.js';
import { netnsName } from './names.js';
import { saysMissing } from './ip-args.js';

/** `ip netns` add, delete and list. */
export class NetnsCommands {
  constructor(private readonly runner: CommandRunner = spawnRunner) {}

  /** Creates the namespace and brings its loopback up. */
  async add(name: string): Promise<void> {
    await this.runner.run('ip', ['netns', 'add', netnsName(name)]);
    await this.runner.run('ip', ['-n', name, 'link', 'set', 'dev', 'lo', 'up']);
  }

  /**
   * Lets any user bind every port in the namespace (`net.ipv4.ip_unprivileged_port_start=0`, per
   * namespace, as Docker sets it for a container): an instance's services run without
   * CAP_NET_BIND_SERVICE, and the namespace's ports are its own, so 80 and 443 are theirs to take.
   */
  async allowUnprivilegedPorts(name: string): Promise<void> {
    await this.runner.run('ip', [
      'netns',
      'exec',
      netnsName(name),
      'sysctl',
      '-q',
      '-w',
      'net.ipv4.ip_unprivileged_port_start=0',
    ]);
  }

  /** Deletes the namespace (its links go with it); a missing one is not an error. */
  async delete(name: string): Promise<void> {
    try {
      await this.runner.run('ip', ['netns', 'delete', netnsName(name)]);
    } catch (e) {
      if (!(e instanceof CommandError && saysMissing(e.stderr))) throw e;
    }
  }

  async list(): Promise<string[]> {
    const { stdout } = await this.runner.run('ip', ['netns', 'list']);
    return stdout
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((n) => n !== '');
  }

  async exists(name: string): Promise<boolean> {
    return (await this.list()).includes(netnsName(name));
  }
}
