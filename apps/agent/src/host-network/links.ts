import { CommandError, spawnRunner, type CommandRunner } from './command-runner.js';
import { ipArgs, saysMissing, type InNetns } from './ip-args.js';
import { ipv4, linkName, macAddress, netnsName, udpPort, vxlanId } from './names.js';

export interface VxlanOptions extends InNetns {
  name: string;
  /** The VNI (a network's segment id). */
  vni: number;
  /** This host's underlay address (source of the encapsulated packets). */
  local: string;
  /** 4789 unless said otherwise. */
  dstport?: number;
  /** The underlay link, when the kernel should not pick it by route. */
  device?: string;
}

/** One link as `ip -j link show` reports it. */
export interface LinkInfo {
  name: string;
  kind?: string;
  master?: string;
  up: boolean;
  mtu: number;
}

/** `ip link` and `bridge fdb`: bridges, veth pairs, VXLAN devices. */
export class LinkCommands {
  constructor(private readonly runner: CommandRunner = spawnRunner) {}

  async addBridge(name: string, where: InNetns = {}): Promise<void> {
    await this.ip(where, 'link', 'add', 'name', linkName(name), 'type', 'bridge');
  }

  /** A veth pair; the peer is created directly in `peerNetns` when given (so its name is free there). */
  async addVethPair(
    name: string,
    peer: string,
    options: InNetns & { peerNetns?: string } = {},
  ): Promise<void> {
    const into = options.peerNetns === undefined ? [] : ['netns', netnsName(options.peerNetns)];
    await this.ip(
      options,
      'link',
      'add',
      'name',
      linkName(name),
      'type',
      'veth',
      'peer',
      'name',
      linkName(peer),
      ...into,
    );
  }

  async addVxlan(options: VxlanOptions): Promise<void> {
    const dev = options.device === undefined ? [] : ['dev', linkName(options.device)];
    await this.ip(
      options,
      'link',
      'add',
      'name',
      linkName(options.name),
      'type',
      'vxlan',
      'id',
      String(vxlanId(options.vni)),
      'local',
      ipv4(options.local, 'VXLAN local address'),
      'dstport',
      String(udpPort(options.dstport ?? 4789)),
      ...dev,
    );
  }

  /** A forwarding entry on a VXLAN device: `00:00:00:00:00:00` to `remote` floods BUM traffic there. */
  async appendFdb(device: string, mac: string, remote: string, where: InNetns = {}): Promise<void> {
    const args = [
      'fdb',
      'append',
      macAddress(mac),
      'dev',
      linkName(device),
      'dst',
      ipv4(remote, 'VXLAN remote'),
    ];
    await this.runner.run(
      'bridge',
      where.netns === undefined ? args : ['-n', netnsName(where.netns), ...args],
    );
  }

  async setMaster(name: string, master: string, where: InNetns = {}): Promise<void> {
    await this.ip(where, 'link', 'set', 'dev', linkName(name), 'master', linkName(master));
  }

  async setUp(name: string, where: InNetns = {}): Promise<void> {
    await this.ip(where, 'link', 'set', 'dev', linkName(name), 'up');
  }

  async setMtu(name: string, mtu: number, where: InNetns = {}): Promise<void> {
    if (!Number.isInteger(mtu) || mtu < 576 || mtu > 9000)
      throw new RangeError(`MTU ${mtu} is not in 576-9000`);
    await this.ip(where, 'link', 'set', 'dev', linkName(name), 'mtu', String(mtu));
  }

  /** Deletes the link (a veth takes its peer with it); a missing one is not an error. */
  async delete(name: string, where: InNetns = {}): Promise<void> {
    try {
      await this.ip(where, 'link', 'delete', 'dev', linkName(name));
    } catch (e) {
      if (!(e instanceof CommandError && saysMissing(e.stderr))) throw e;
    }
  }

  async list(where: InNetns = {}): Promise<LinkInfo[]> {
    const { stdout } = await this.runner.run('ip', ipArgs(where, '-j', '-d', 'link', 'show'));
    const rows = JSON.parse(stdout || '[]') as {
      ifname: string;
      master?: string;
      flags?: string[];
      mtu: number;
      linkinfo?: { info_kind?: string };
    }[];
    return rows.map((r) => ({
      name: r.ifname,
      kind: r.linkinfo?.info_kind,
      master: r.master,
      up: (r.flags ?? []).includes('UP'),
      mtu: r.mtu,
    }));
  }

  async exists(name: string, where: InNetns = {}): Promise<boolean> {
    return (await this.list(where)).some((l) => l.name === linkName(name));
  }

  private async ip(where: InNetns, ...args: string[]): Promise<void> {
    await this.runner.run('ip', ipArgs(where, ...args));
  }
}
