import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupName, processId } from './names.js';

/** CPU (in CPUs, may be fractional) and memory limits of a group. */
export interface CgroupLimits {
  cpu: number;
  memoryMiB: number;
  /** At most this many processes and threads (a fork bomb stays inside its group). */
  pids?: number;
}

/**
 * Where groups live. Processes are tracked (and killed) in a cgroup v2 hierarchy; limits are set
 * through v2's `cpu.max`/`cpu.weight`/`memory.max` when its controllers can be enabled, else through cgroup v1's
 * cpu and memory hierarchies (hosts that mount both, as systemd's "hybrid" layout does), else not
 * at all (`limits.kind === 'none'`, with the reason, reported by the agent and never hidden).
 */
export interface CgroupLayout {
  /** The cgroup v2 directory groups are made in. */
  unified: string;
  limits: { kind: 'v2' } | { kind: 'v1'; cpu: string; memory: string } | { kind: 'none'; reason: string };
  /** Where `pids.max` is set: v2, cgroup v1's pids hierarchy, or nowhere (with the reason). */
  pids: { kind: 'v2' } | { kind: 'v1'; dir: string } | { kind: 'none'; reason: string };
}

const PERIOD_US = 100_000;

/**
 * A group's share of contended CPU, in proportion to its CPUs (as Kubernetes turns CPU requests
 * into shares): under contention a 1-CPU group gets four times a quarter-CPU group's time, as
 * the quota alone (a ceiling) would not make it. v1 `cpu.shares` (1024 per CPU), v2 `cpu.weight`
 * (its default 100 per CPU), each in its file's range.
 */
export function cpuShare(cpu: number): { v1Shares: string; v2Weight: string } {
  return {
    v1Shares: String(Math.min(262_144, Math.max(2, Math.round(cpu * 1024)))),
    v2Weight: String(Math.min(10_000, Math.max(1, Math.round(cpu * 100)))),
  };
}

/** Finds the cgroup mounts under `root` and whether cpu and memory limits can be set. */
export async function detectCgroupLayout(root = '/sys/fs/cgroup'): Promise<CgroupLayout> {
  const unified = existsSync(join(root, 'cgroup.controllers'))
    ? root
    : existsSync(join(root, 'unified', 'cgroup.controllers'))
      ? join(root, 'unified')
      : undefined;
  if (unified === undefined) {
    // `ip netns exec` remounts /sys without the cgroup mounts: nsenter --net keeps them
    throw new Error(
      `no cgroup v2 hierarchy at ${root} or ${root}/unified (in a network namespace, start the agent with nsenter --net=/run/netns/NAME, not ip netns exec)`,
    );
  }
  const available = (await readFile(join(unified, 'cgroup.controllers'), 'utf8')).split(/\s+/);
  const pids = await detectPids(root, unified, available);
  if (available.includes('cpu') && available.includes('memory')) {
    try {
      await writeFile(join(unified, 'cgroup.subtree_control'), '+cpu +memory');
      return { unified, limits: { kind: 'v2' }, pids };
    } catch (e) {
      const reason = `cgroup v2 at ${unified} has cpu and memory but they cannot be enabled for child groups (${(e as Error).message})`;
      return { unified, limits: v1Limits(root) ?? { kind: 'none', reason }, pids };
    }
  }
  return {
    unified,
    pids,
    limits: v1Limits(root) ?? {
      kind: 'none',
      reason: `cgroup v2 at ${unified} offers no cpu/memory controllers and there is no cgroup v1 cpu and memory hierarchy`,
    },
  };
}

async function detectPids(root: string, unified: string, available: string[]): Promise<CgroupLayout['pids']> {
  if (available.includes('pids')) {
    try {
      await writeFile(join(unified, 'cgroup.subtree_control'), '+pids');
      return { kind: 'v2' };
    } catch {
      // fall back to v1 below
    }
  }
  const dir = join(root, 'pids');
  if (existsSync(join(dir, 'cgroup.procs'))) return { kind: 'v1', dir };
  return { kind: 'none', reason: 'no pids controller in cgroup v2 or v1' };
}

function v1Limits(root: string): CgroupLayout['limits'] | undefined {
  const cpu = join(root, 'cpu');
  const memory = join(root, 'memory');
  if (existsSync(join(cpu, 'cpu.cfs_quota_us')) && existsSync(join(memory, 'memory.limit_in_bytes'))) {
    return { kind: 'v1', cpu, memory };
  }
  return undefined;
}

/** The limits as the kernel holds them, in the layout's own files. */
export interface AppliedLimits {
  /** `cpu.max` ("quota period"), or v1's `cfs_quota_us cfs_period_us` in the same form. */
  cpuMax: string;
  /** `cpu.weight`, or v1's `cpu.shares` (cpuShare). */
  cpuShare: string;
  /** `memory.max`, or v1's `memory.limit_in_bytes`, in bytes. */
  memoryMax: string;
  /** `pids.max` (v2 or v1), when a pids controller is there. */
  pidsMax?: string;
}

/** Groups by name: create with limits, add processes, list, kill, remove. */
export class CgroupCommands {
  constructor(readonly layout: CgroupLayout) {}

  /** Creates the group (in every hierarchy the layout uses) and sets its limits. */
  async create(name: string, limits: CgroupLimits): Promise<void> {
    const quota = String(Math.max(1000, Math.round(limits.cpu * PERIOD_US)));
    const bytes = String(Math.round(limits.memoryMiB * 1024 * 1024));
    if (!(limits.cpu > 0 && limits.memoryMiB > 0))
      throw new RangeError('cpu and memory limits must be positive');
    await mkdir(this.unifiedDir(name), { recursive: true });
    const l = this.layout.limits;
    if (l.kind === 'v2') {
      await writeFile(join(this.unifiedDir(name), 'cpu.max'), `${quota} ${PERIOD_US}`);
      await writeFile(join(this.unifiedDir(name), 'cpu.weight'), cpuShare(limits.cpu).v2Weight);
      await writeFile(join(this.unifiedDir(name), 'memory.max'), bytes);
    } else if (l.kind === 'v1') {
      await mkdir(join(l.cpu, name), { recursive: true });
      await writeFile(join(l.cpu, name, 'cpu.cfs_period_us'), String(PERIOD_US));
      await writeFile(join(l.cpu, name, 'cpu.cfs_quota_us'), quota);
      await writeFile(join(l.cpu, name, 'cpu.shares'), cpuShare(limits.cpu).v1Shares);
      await mkdir(join(l.memory, name), { recursive: true });
      await writeFile(join(l.memory, name, 'memory.limit_in_bytes'), bytes);
    }
    if (limits.pids !== undefined) {
      const max = String(Math.max(1, Math.floor(limits.pids)));
      const p = this.layout.pids;
      if (p.kind === 'v2') await writeFile(join(this.unifiedDir(name), 'pids.max'), max);
      if (p.kind === 'v1') {
        await mkdir(join(p.dir, name), { recursive: true });
        await writeFile(join(p.dir, name, 'pids.max'), max);
      }
    }
  }

  /** Moves a process (and the children it makes afterwards) into the group. */
  async addProcess(name: string, pid: number): Promise<void> {
    const p = String(processId(pid));
    await appendFile(join(this.unifiedDir(name), 'cgroup.procs'), p);
    const l = this.layout.limits;
    if (l.kind === 'v1') {
      await appendFile(join(l.cpu, cgroupName(name), 'cgroup.procs'), p);
      await appendFile(join(l.memory, cgroupName(name), 'cgroup.procs'), p);
    }
    if (this.layout.pids.kind === 'v1') await appendFile(join(this.layout.pids.dir, name, 'cgroup.procs'), p);
  }

  exists(name: string): boolean {
    return existsSync(this.unifiedDir(name));
  }

  /** The `cgroup.procs` files a process writes `0` to, to join the group in every hierarchy. */
  procsFiles(name: string): string[] {
    const files = [join(this.unifiedDir(name), 'cgroup.procs')];
    const l = this.layout.limits;
    if (l.kind === 'v1') files.push(join(l.cpu, name, 'cgroup.procs'), join(l.memory, name, 'cgroup.procs'));
    if (this.layout.pids.kind === 'v1') files.push(join(this.layout.pids.dir, name, 'cgroup.procs'));
    return files;
  }

  /** The processes in the group (none for a missing group). */
  async processes(name: string): Promise<number[]> {
    try {
      const text = await readFile(join(this.unifiedDir(name), 'cgroup.procs'), 'utf8');
      return text.split('\n').filter(Boolean).map(Number);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  /** Sends `signal` to every process of the group (SIGKILL through `cgroup.kill` where the kernel has it). */
  async signal(name: string, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const killFile = join(this.unifiedDir(name), 'cgroup.kill');
    if (signal === 'SIGKILL' && existsSync(killFile)) {
      await writeFile(killFile, '1');
      return;
    }
    for (const pid of await this.processes(name)) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone between the read and the signal
      }
    }
  }

  /** Kills every process of the group and waits (up to `waitMs`) until none is left. */
  async killAll(name: string, waitMs = 5000): Promise<void> {
    const until = Date.now() + waitMs;
    do {
      await this.signal(name, 'SIGKILL');
      if ((await this.processes(name)).length === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < until);
    throw new Error(`cgroup ${name} still has processes after ${waitMs} ms`);
  }

  /** Kills what is left and removes the group from every hierarchy; a missing group is not an error. */
  async remove(name: string): Promise<void> {
    if (existsSync(this.unifiedDir(name))) await this.killAll(name);
    const dirs = [this.unifiedDir(name)];
    const l = this.layout.limits;
    if (l.kind === 'v1') dirs.push(join(l.cpu, name), join(l.memory, name));
    if (this.layout.pids.kind === 'v1') dirs.push(join(this.layout.pids.dir, name));
    for (const dir of dirs) await removeDir(dir);
  }

  /** Names of the groups starting with `prefix` (in any hierarchy the layout uses). */
  async list(prefix: string): Promise<string[]> {
    const roots = [this.layout.unified];
    const l = this.layout.limits;
    if (l.kind === 'v1') roots.push(l.cpu, l.memory);
    if (this.layout.pids.kind === 'v1') roots.push(this.layout.pids.dir);
    const names = new Set<string>();
    for (const root of roots) {
      for (const entry of await readdir(root, { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name.startsWith(prefix)) names.add(entry.name);
      }
    }
    return [...names].sort();
  }

  /** The limits the kernel holds for the group, or undefined when limits are not enforced here. */
  async limits(name: string): Promise<AppliedLimits | undefined> {
    const l = this.layout.limits;
    const read = async (...path: string[]) => (await readFile(join(...path), 'utf8')).trim();
    const p = this.layout.pids;
    const pidsFile =
      p.kind === 'v2'
        ? join(this.unifiedDir(name), 'pids.max')
        : p.kind === 'v1'
          ? join(p.dir, name, 'pids.max')
          : '';
    const pidsMax = pidsFile && existsSync(pidsFile) ? { pidsMax: await read(pidsFile) } : {};
    if (l.kind === 'v2') {
      return {
        cpuMax: await read(this.unifiedDir(name), 'cpu.max'),
        cpuShare: await read(this.unifiedDir(name), 'cpu.weight'),
        memoryMax: await read(this.unifiedDir(name), 'memory.max'),
        ...pidsMax,
      };
    }
    if (l.kind === 'v1') {
      const quota = await read(l.cpu, cgroupName(name), 'cpu.cfs_quota_us');
      const period = await read(l.cpu, name, 'cpu.cfs_period_us');
      return {
        cpuMax: `${quota} ${period}`,
        cpuShare: await read(l.cpu, name, 'cpu.shares'),
        memoryMax: await read(l.memory, name, 'memory.limit_in_bytes'),
        ...pidsMax,
      };
    }
    return undefined;
  }

  private unifiedDir(name: string): string {
    return join(this.layout.unified, cgroupName(name));
  }
}

// a group's directory can be removed once its last process is reaped, which trails the kill a little
async function removeDir(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
