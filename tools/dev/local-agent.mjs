// `npm start`'s local Linux host: when it runs as root on Linux, the host agent (apps/agent) for
// this machine, with a fresh random token, so that the API seeds a "Linux (local)" environment whose
// instances are network namespaces here. Stopped again by its PID when the launcher exits.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { aptInstall, canApt } from './services.mjs';

export const AGENT_LISTEN = '127.0.0.1:7471';
const AGENT_URL = `http://${AGENT_LISTEN}`;
// what the agent runs: ip (iproute2), nft (nftables), unshare and mount (util-linux, mount)
const TOOLS = [
  ['ip', 'iproute2'],
  ['nft', 'nftables'],
];

const say = (msg) => process.stderr.write(`switchyard: ${msg}\n`);
// on PATH or in the sbin directories a non-login root shell may leave out
const has = (cmd) =>
  [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin']
    .filter(Boolean)
    .some((dir) => existsSync(resolve(dir, cmd)));

/** Why the local host agent cannot run here, or undefined when it can. */
export function localAgentAbsence(platform = process.platform, uid = process.getuid?.()) {
  if (platform !== 'linux') return `this is ${platform}, not Linux`;
  if (uid !== 0) {
    return 'npm start is not running as root (namespaces, bridges, nftables and cgroups need it)';
  }
  return undefined;
}

async function agentHealthy() {
  try {
    const res = await fetch(`${AGENT_URL}/v1/health`, { signal: globalThis.AbortSignal.timeout(1_000) });
    const body = await res.json().catch(() => ({}));
    return res.ok && body.ok === true;
  } catch {
    return false;
  }
}

/**
 * Starts the local host agent; returns the SWITCHYARD_DEMO_CLOUDS entries that point the API at it
 * (its token in a file of mode 0600, never in a variable), or undefined after saying why not.
 * `launch(cmd, args, logFile, env)` starts a child; `owned` collects it for stopping by PID.
 */
export async function startLocalAgent({ root, stateDir, logDir, launch, owned, waitForPeer }) {
  const absent = localAgentAbsence();
  if (absent) {
    say(`no "Linux (local)" environment: ${absent}`);
    return undefined;
  }
  const missing = TOOLS.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (missing.length > 0 && canApt()) aptInstall(missing);
  const still = TOOLS.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (still.length > 0) {
    say(
      `no "Linux (local)" environment: ${still.join(' and ')} missing (apt-get install ${still.join(' ')})`,
    );
    return undefined;
  }
  const main = resolve(root, 'apps/agent/dist/main.js');
  if (!existsSync(main)) {
    say(`no "Linux (local)" environment: the host agent is not built (${main} missing)`);
    return undefined;
  }
  if (await agentHealthy()) {
    // its token is not ours to know: another launcher's agent, left alone
    say(`no "Linux (local)" environment: something already answers at ${AGENT_URL} (another agent?)`);
    return undefined;
  }
  const token = randomBytes(32).toString('hex');
  const tokenFile = resolve(stateDir, 'agent.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  const logFile = resolve(logDir, 'agent.log');
  const child = launch(process.execPath, [main], logFile, {
    ...process.env,
    AGENT_TOKEN: token,
    AGENT_LISTEN,
  });
  owned.push(['the host agent', child]);
  if (!(await waitForPeer('the host agent', child, agentHealthy, logFile, 60))) {
    say('no "Linux (local)" environment: the host agent did not start');
    return undefined;
  }
  say(`Linux (local): the host agent at ${AGENT_URL} (pid ${child.pid}, log ${logFile})`);
  return { entries: [`linux-host=${AGENT_URL}`, `linux-host-token-file=${tokenFile}`], pid: child.pid };
}
