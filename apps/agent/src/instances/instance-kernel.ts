import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withUndo, type CgroupCommands, type HostNetwork, type UndoStack } from '../host-network/index.js';
import { VXLAN_MTU } from '../networks/network.service.js';
import type { BootPlan } from '../sandbox/boot-plan.js';
import { writeInstanceFiles } from '../sandbox/file-writer.js';
import { mountOverlay, overlayDirs, unmountOverlay } from '../sandbox/overlay.js';
import type { BootConfig } from '../sandbox/user-data.js';
import type { InstanceRecord, NetworkRecord } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { InstanceType } from './instance-types.js';

const INIT = fileURLToPath(new URL('../sandbox/instance-init.js', import.meta.url));
const BOOT_WAIT_MS = 20_000;
// processes and threads of one instance (node's init alone has about a dozen threads)
const PIDS_PER_INSTANCE = 512;
// the host's root is the instance's image, readable as its permissions say; these are not
const HOST_SECRETS = [
  '/root',
  '/home',
  '/etc/ssh',
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/sudoers.d',
];
const STOP_GRACE_MS = 5_000;

/** The kernel objects of one instance, all named from the agent's prefix and the instance's short id. */
export function instanceNames(prefix: string, id: string) {
  const short = id.replace(/^lh-/, '');
  return { netns: `${prefix}i${short}`, veth: `${prefix}v${short}`, cgroup: `${prefix}i${short}` };
}

export interface KernelSettings {
  prefix: string;
  stateDir: string;
  instanceUid: number;
}

/** Makes, boots, stops and removes an instance's namespace, veth, cgroup and overlay. */
export class InstanceKernel {
  constructor(
    private readonly host: HostNetwork,
    private readonly cgroups: CgroupCommands,
    private readonly store: StateStore,
    private readonly settings: KernelSettings,
  ) {}

  names(r: InstanceRecord) {
    return instanceNames(this.settings.prefix, r.id);
  }

  /** Everything but the boot; a failure undoes what was made. */
  async create(r: InstanceRecord, net: NetworkRecord, boot: BootConfig, type: InstanceType): Promise<void> {
    const { netns } = this.names(r);
    const { nft } = this.host;
    const dirs = overlayDirs(this.store.runtimeDir(r.id));
    await withUndo(async (undo) => {
      undo.add(`runtime dir of ${r.id}`, () =>
        rm(this.store.runtimeDir(r.id), { recursive: true, force: true }),
      );
      await this.plumb(r, net, type, undo);
      await mountOverlay(this.host.runner, dirs);
      undo.add(`overlay of ${r.id}`, () => unmountOverlay(this.host.runner, dirs));
      const hostFiles = [
        {
          path: '/etc/hostname',
          content: Buffer.from(`${r.name}\n`),
          permissions: '0644',
          owner: 'root:root',
          append: false,
        },
      ];
      await writeInstanceFiles(this.host.runner, dirs.merged, [...hostFiles, ...boot.writeFiles]);
      // as a guest's bootcmd would: the tier's ruleset, loaded as root in the instance's namespace
      if (boot.ruleset !== undefined) await nft.load(boot.ruleset, { netns });
    });
  }

  /**
   * After a host reboot the kernel has lost the instance's cgroup and namespace (its overlay's
   * files are on disk): makes them again, with its last ruleset. Nothing to do when they are there.
   */
  async restore(r: InstanceRecord, net: NetworkRecord, type: InstanceType, ruleset?: string): Promise<void> {
    const { netns, veth, cgroup } = this.names(r);
    if ((await this.host.netns.exists(netns)) && this.cgroups.exists(cgroup)) return;
    // whatever half of it survived goes first, so the setup below starts clean
    await this.cgroups.remove(cgroup);
    await this.host.netns.delete(netns);
    await this.host.links.delete(veth);
    await withUndo(async (undo) => {
      await this.plumb(r, net, type, undo);
      if (ruleset !== undefined) await this.host.nft.load(ruleset, { netns });
    });
  }

  /** The cgroup, netns (its ports open to any user), veth on the network's bridge, address and default route. */
  private async plumb(
    r: InstanceRecord,
    net: NetworkRecord,
    type: InstanceType,
    undo: UndoStack,
  ): Promise<void> {
    const { netns, veth, cgroup } = this.names(r);
    const { links, addresses } = this.host;
    await this.cgroups.create(cgroup, { cpu: type.cpu, memoryMiB: type.memoryMiB, pids: PIDS_PER_INSTANCE });
    undo.add(`cgroup ${cgroup}`, () => this.cgroups.remove(cgroup));
    await this.host.netns.add(netns);
    undo.add(`netns ${netns}`, () => this.host.netns.delete(netns));
    await this.host.netns.allowUnprivilegedPorts(netns);
    await links.addVethPair(veth, 'eth0', { peerNetns: netns });
    undo.add(`veth ${veth}`, () => links.delete(veth));
    if (net.encap === 'vxlan') {
      await links.setMtu(veth, VXLAN_MTU);
      await links.setMtu('eth0', VXLAN_MTU, { netns });
    }
    await links.setMaster(veth, net.bridge);
    await links.setUp(veth);
    await addresses.addAddress('eth0', `${r.privateIp}/${net.cidr.split('/')[1]}`, { netns });
    await links.setUp('eth0', { netns });
    await addresses.addDefaultRoute(net.gateway, 'eth0', { netns });
  }

  /** Starts the instance's init and waits until it has mounted its root (then runcmd runs). */
  async boot(r: InstanceRecord, boot: BootConfig): Promise<void> {
    const { netns, cgroup } = this.names(r);
    const runtime = this.store.runtimeDir(r.id);
    const dirs = overlayDirs(runtime);
    await mountOverlay(this.host.runner, dirs);
    const statusFile = join(runtime, 'boot-status');
    const consoleFile = join(runtime, 'console.log');
    const plan: BootPlan = {
      merged: dirs.merged,
      hostname: r.name,
      cgroupProcs: this.cgroups.procsFiles(cgroup),
      hidden: [this.settings.stateDir, ...HOST_SECRETS],
      runcmd: boot.runcmd,
      user: r.runAsRoot ? 'root' : { uid: this.settings.instanceUid, gid: this.settings.instanceUid },
      statusFile,
      consoleFile,
      ignored: boot.ignored,
    };
    const planFile = join(runtime, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    await rm(statusFile, { force: true });
    const out = openSync(consoleFile, 'a');
    try {
      // nsenter, not `ip netns exec`: the latter remounts /sys, where the cgroups to join are
      const ns = ['unshare', '--mount', '--pid', '--uts', '--ipc', '--fork', '--propagation', 'private'];
      const child = spawn(
        'nsenter',
        [`--net=/run/netns/${netns}`, '--', ...ns, '--', process.execPath, INIT, planFile],
        {
          detached: true,
          stdio: ['ignore', out, out],
        },
      );
      child.unref();
    } finally {
      closeSync(out);
    }
    await this.waitForBoot(statusFile);
  }

  /** SIGTERM to the instance's processes, SIGKILL to what is left after a grace period; unmounts its root. */
  async stop(r: InstanceRecord): Promise<void> {
    const { cgroup } = this.names(r);
    await this.cgroups.signal(cgroup, 'SIGTERM');
    // the init ignores SIGTERM (as PID 1 does): wait for the others
    const until = Date.now() + STOP_GRACE_MS;
    while ((await this.cgroups.processes(cgroup)).length > 1 && Date.now() < until) await sleep(100);
    await this.cgroups.killAll(cgroup);
    await unmountOverlay(this.host.runner, overlayDirs(this.store.runtimeDir(r.id)));
  }

  /** Removes every kernel object and file of the instance; returns what could not be removed. */
  async destroy(r: InstanceRecord): Promise<string[]> {
    const { netns, veth, cgroup } = this.names(r);
    const problems: string[] = [];
    const attempt = async (what: string, act: () => Promise<unknown>) => {
      try {
        await act();
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
      }
    };
    await attempt(`cgroup ${cgroup}`, () => this.cgroups.remove(cgroup));
    await attempt('overlay', () =>
      unmountOverlay(this.host.runner, overlayDirs(this.store.runtimeDir(r.id))),
    );
    await attempt(`netns ${netns}`, () => this.host.netns.delete(netns));
    await attempt(`veth ${veth}`, () => this.host.links.delete(veth));
    await attempt('runtime dir', () => rm(this.store.runtimeDir(r.id), { recursive: true, force: true }));
    return problems;
  }

  /** Whether the instance has processes (a restarted agent checks what it left running). */
  async hasProcesses(r: InstanceRecord): Promise<boolean> {
    return (await this.cgroups.processes(this.names(r).cgroup)).length > 0;
  }

  private async waitForBoot(statusFile: string): Promise<void> {
    const until = Date.now() + BOOT_WAIT_MS;
    while (Date.now() < until) {
      if (existsSync(statusFile)) {
        const status = (await readFile(statusFile, 'utf8')).trim();
        if (status.startsWith('failed')) throw new Error(`boot ${status}`);
        if (status !== '') return;
      }
      await sleep(50);
    }
    throw new Error(`the instance did not boot within ${BOOT_WAIT_MS / 1000} s`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
