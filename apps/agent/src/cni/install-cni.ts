import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `node apps/agent/dist/cni/install-cni.js [DIR]` writes the executable `DIR/switchyard-cni`
 * (default /opt/cni/bin): a two-line launcher whose `#!` names this Node by its absolute path (the
 * one pinned in node_modules when run through npm) and which imports this checkout's plugin. So it
 * runs the same when a runtime execs it with a PATH that has no Node, or an older one.
 */
export async function installCni(dir: string): Promise<string> {
  const target = join(resolve(dir), 'switchyard-cni');
  const main = pathToFileURL(resolve(import.meta.dirname, 'main.js')).href;
  const launcher =
    `#!${process.execPath}\n` +
    `// switchyard-cni, installed from ${resolve(import.meta.dirname, '../../../..')}: the plugin runs from there\n` +
    `await import(${JSON.stringify(main)});\n`;
  await mkdir(dir, { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, launcher);
  await chmod(temp, 0o755);
  // replaced by rename: a runtime executing the old one at this moment is not disturbed
  await rename(temp, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const target = await installCni(process.argv[2] ?? '/opt/cni/bin');
  process.stdout.write(`installed ${target} (runs on ${process.execPath})\n`);
}
