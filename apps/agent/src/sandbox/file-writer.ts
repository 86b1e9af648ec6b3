import { dirname } from 'node:path';
import type { CommandRunner } from '../host-network/index.js';
import type { FileToWrite } from './user-data.js';

/**
 * Writes `write_files` into the instance's overlay. Each step runs under `chroot` into the merged
 * directory, so a path or a symlink on the way resolves inside the instance and never reaches the
 * host's files. Runs before the instance's first boot: the tools are the host's, unchanged.
 */
export async function writeInstanceFiles(
  runner: CommandRunner,
  merged: string,
  files: readonly FileToWrite[],
) {
  const inRoot = (...argv: string[]) => runner.run('chroot', [merged, ...argv]);
  for (const file of files) {
    await inRoot('mkdir', '-p', '--', dirname(file.path));
    await runner.run('chroot', [merged, 'tee', ...(file.append ? ['-a'] : []), '--', file.path], {
      input: file.content,
    });
    await inRoot('chmod', file.permissions, '--', file.path);
    await inRoot('chown', file.owner, '--', file.path);
  }
}
