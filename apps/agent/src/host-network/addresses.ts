import { spawnRunner, type CommandRunner } from './command-runner.js';
import { ipArgs, type InNetns } from './ip-args.js';
import { ipv4, ipv4Cidr, linkName } from './names.js';

/** `ip addr` and `ip route`. */
export class AddressCommands {
  constructor(private readonly runner: CommandRunner = spawnRunner) {}

  /** `address` is `a.b.c.d/len`. */
  async addAddress(device: string, address: string, where: InNetns = {}): Promise<void> {
    await this.ip(where, 'address', 'add', ipv4Cidr(address, 'interface address'), 'dev', linkName(device));
  }

  async addDefaultRoute(gateway: string, device: string, where: InNetns = {}): Promise<void> {
    await this.ip(where, 'route', 'add', 'default', 'via', ipv4(gateway, 'gateway'), 'dev', linkName(device));
  }

  /** A route to `destination` (`a.b.c.d/len`) through `device`, optionally via a next hop. */
  async addRoute(
    destination: string,
    device: string,
    options: InNetns & { via?: string } = {},
  ): Promise<void> {
    const via = options.via === undefined ? [] : ['via', ipv4(options.via, 'next hop')];
    await this.ip(
      options,
      'route',
      'add',
      ipv4Cidr(destination, 'route destination'),
      ...via,
      'dev',
      linkName(device),
    );
  }

  /** The IPv4 addresses (`a.b.c.d/len`) on a link. */
  async listAddresses(device: string, where: InNetns = {}): Promise<string[]> {
    const { stdout } = await this.runner.run(
      'ip',
      ipArgs(where, '-j', '-4', 'address', 'show', 'dev', linkName(device)),
    );
    const rows = JSON.parse(stdout || '[]') as { addr_info?: { local: string; prefixlen: number }[] }[];
    return rows.flatMap((r) => (r.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`));
  }

  /** The source address of the route to `destination` (the host's underlay address by default). */
  async routeSource(destination = '1.1.1.1', where: InNetns = {}): Promise<string | undefined> {
    const { stdout } = await this.runner.run('ip', ipArgs(where, '-j', 'route', 'get', ipv4(destination)));
    const rows = JSON.parse(stdout || '[]') as { prefsrc?: string }[];
    return rows[0]?.prefsrc;
  }

  private async ip(where: InNetns, ...args: string[]): Promise<void> {
    await this.runner.run('ip', ipArgs(where, ...args));
  }
}
