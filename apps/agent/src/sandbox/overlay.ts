import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandRunner } from '../host-network/index.js';

/** An instance's copy-on-write view of the host's `/`: its writes land in `upper`. */
export interface OverlayDirs {
  upper: string;
  work: string;
  merged: string;
}

export function overlayDirs(runtimeDir: string): OverlayDirs {
  return {
    upper: join(runtimeDir, 'upper'),
    work: join(runtimeDir, 'work'),
    merged: join(runtimeDir, 'merged'),
  };
}

/** Mount points in this process's mount namespace. */
async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter(Boolean);
}

export async function isMounted(path: string): Promise<boolean> {
  return (await mountPoints()).includes(path);
}

/** Mounts the overlay (host `/` below, nosuid and nodev) unless it is mounted already. */
export async function mountOverlay(runner: CommandRunner, dirs: OverlayDirs): Promise<void> {
  // the upper layer's top is the instance's `/`: it must be searchable by the instance's user
  await mkdir(dirs.upper, { recursive: true, mode: 0o755 });
  await mkdir(dirs.merged, { recursive: true, mode: 0o755 });
  await mkdir(dirs.work, { recursive: true, mode: 0o700 });
  if (await isMounted(dirs.merged)) return;
  // the paths are the agent's (a validated state dir and generated ids): no `,` or `:` in them
  const options = `nosuid,nodev,lowerdir=/,upperdir=${dirs.upper},workdir=${dirs.work}`;
  await runner.run('mount', ['-t', 'overlay', '-o', options, 'overlay', dirs.merged]);
}

export async function unmountOverlay(runner: CommandRunner, dirs: OverlayDirs): Promise<void> {
  if (await isMounted(dirs.merged)) await runner.run('umount', ['--lazy', dirs.merged]);
}

/** Mounts of this namespace under `dir` (what terminate must leave none of). */
export async function mountsUnder(dir: string): Promise<string[]> {
  return (await mountPoints()).filter((m) => m === dir || m.startsWith(`${dir}/`));
}
