import { withSystemPath } from './cni-invocation.js';
import { runPlugin } from './cni-plugin.js';

// `switchyard-cni`, as runtimes execute it: parameters in the environment, configuration on stdin.
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// read once, here: the runtime's parameters, and a PATH that finds ip and nft for the commands run
const env = withSystemPath(process.env);

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
const outcome = await runPlugin(env, input);
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
