import { runPlugin } from './cni-plugin.js';

// `switchyard-cni`, as runtimes execute it: parameters in the environment, configuration on stdin.
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// runtimes call plugins with a PATH of their own, which may lack the sbin directories of ip and nft
process.env.PATH = [process.env.PATH, '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin']
  .filter(Boolean)
  .join(':');

let input = '';
try {
  input = await readStdin();
} catch (err) {
  process.stdout.write(
    JSON.stringify({
      cniVersion: '1.1.0',
      code: 5,
      msg: 'cannot read the configuration',
      details: String(err),
    }) + '\n',
  );
  process.exit(1);
}
const outcome = await runPlugin(process.env, input);
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
