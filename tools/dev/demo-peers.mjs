// `npm start`'s demo clouds: moto (AWS EC2) and vcsim (vSphere) on loopback, and as root on Linux
// the local host agent (local-agent.mjs), started by this launcher and stopped again by their PIDs
// when it exits. A peer already answering on its port is
// used as it is (and left running). Missing tools are reported, never fatal: the API runs without.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalAgent } from './local-agent.mjs';

const MOTO = 'http://127.0.0.1:4566';
const VCSIM_LISTEN = '127.0.0.1:8989';
const VCSIM_USER = 'switchyard';
// the simulator's own local password (tools/peers/up.sh uses the same), not a real secret
const VCSIM_PASSWORD = 'vcsim-secret';

const say = (msg) => process.stderr.write(`switchyard: ${msg}\n`);

export async function httpUp(url) {
  try {
    const res = await fetch(url, { signal: globalThis.AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

function httpsUp(url, ca) {
  return new Promise((ok) => {
    const req = https.get(url, { ca, timeout: 1_000 }, (res) => {
      res.resume();
      ok((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => ok(false));
    req.on('timeout', () => req.destroy());
  });
}

// A peer is waited for as long as its process lives, up to this ceiling: a busy machine can take
// a minute to start moto (it answered a moment after a 30 s limit had left it out of the demo).
const START_CEILING_S = 300;
const PROGRESS_EVERY_S = 15;

/** Whether the peer `child` answers `probe` before it exits or the ceiling passes; says why not. */
export async function waitForPeer(name, child, probe, logFile, ceilingS = START_CEILING_S) {
  const started = Date.now();
  let nextNote = PROGRESS_EVERY_S;
  for (;;) {
    if (await probe()) return true;
    const seconds = Math.floor((Date.now() - started) / 1000);
    if (child.exitCode !== null || child.signalCode !== null) {
      say(`${name} exited (${child.signalCode ?? child.exitCode}) before it answered (see ${logFile})`);
      return false;
    }
    if (seconds >= ceilingS) {
      say(`${name} did not answer in ${ceilingS} s (see ${logFile}); stopping it`);
      child.kill('SIGTERM');
      return false;
    }
    if (seconds >= nextNote) {
      say(`${name} is still starting (${seconds} s; waiting while it runs, up to ${ceilingS} s)`);
      nextNote += PROGRESS_EVERY_S;
    }
    await sleep(250);
  }
}

function launch(cmd, args, logFile, env = process.env) {
  const log = openSync(logFile, 'a');
  return spawn(cmd, args, { stdio: ['ignore', log, log], env });
}

async function startMoto(logDir, owned) {
  if (await httpUp(`${MOTO}/moto-api/`)) return { url: MOTO, note: 'already running' };
  if (spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status !== 0) {
    say("moto is not installed (pip install 'moto[server]'): the demo has no simulated AWS");
    return undefined;
  }
  const child = launch(
    'python3',
    ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '4566'],
    resolve(logDir, 'moto.log'),
  );
  owned.push(['moto', child]);
  const log = resolve(logDir, 'moto.log');
  if (await waitForPeer('moto', child, () => httpUp(`${MOTO}/moto-api/`), log)) {
    return { url: MOTO, note: `pid ${child.pid}` };
  }
  say('the demo has no simulated AWS');
  return undefined;
}

async function startVcsim(root, logDir, owned) {
  const certDir = resolve(root, '.switchyard/cache/vcsim-cert');
  const certs = spawnSync(resolve(root, 'tools/peers/vcsim-cert.sh'), [certDir], { stdio: 'inherit' });
  if (certs.status !== 0) {
    say('could not make a certificate for vcsim (openssl missing?): the demo has no simulated vSphere');
    return undefined;
  }
  const caFile = resolve(certDir, 'cert.pem');
  const ca = readFileSync(caFile, 'utf8');
  const url = `https://${VCSIM_LISTEN}/sdk`;
  const about = `https://${VCSIM_LISTEN}/about`;
  const found = { url, caFile };
  if (await httpsUp(about, ca)) return { ...found, note: 'already running' };
  // cached by tools/peers/build-vcsim.sh; the first build takes 40-100 s (Go, offline)
  const build = spawnSync(resolve(root, 'tools/peers/build-vcsim.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (build.status !== 0) {
    say(
      'vcsim cannot be built here (needs golang-go and golang-github-vmware-govmomi-dev): no simulated vSphere',
    );
    return undefined;
  }
  const args = ['-listen', VCSIM_LISTEN, '-username', VCSIM_USER, '-password', VCSIM_PASSWORD];
  args.push('-cert', caFile, '-key', resolve(certDir, 'key.pem'));
  const child = launch(build.stdout.trim(), args, resolve(logDir, 'vcsim.log'));
  owned.push(['vcsim', child]);
  if (await waitForPeer('vcsim', child, () => httpsUp(about, ca), resolve(logDir, 'vcsim.log'))) {
    return { ...found, note: `pid ${child.pid}` };
  }
  say('the demo has no simulated vSphere');
  return undefined;
}

/**
 * Starts the demo peers and returns the SWITCHYARD_DEMO_CLOUDS value that tells the API where they
 * are, a `summary` for people, and `stop()`, which ends only the processes started here.
 * SWITCHYARD_DEMO_CLOUDS set by the caller wins (no peers started); `off` turns the demo clouds off.
 */
export async function startDemoPeers(root, env) {
  const owned = [];
  const stop = () => {
    for (const [name, child] of owned) {
      if (child.exitCode === null && child.signalCode === null) {
        say(`stopping ${name} (pid ${child.pid})`);
        child.kill('SIGTERM');
      }
    }
  };
  if (env.SWITCHYARD_DEMO_CLOUDS === 'off') return { value: undefined, summary: 'off', stop };
  if (env.SWITCHYARD_DEMO_CLOUDS) {
    return { value: env.SWITCHYARD_DEMO_CLOUDS, summary: 'as SWITCHYARD_DEMO_CLOUDS says', stop };
  }
  const logDir = resolve(root, '.switchyard/logs');
  mkdirSync(logDir, { recursive: true });
  const [moto, vcsim, agent] = await Promise.all([
    startMoto(logDir, owned),
    startVcsim(root, logDir, owned),
    startLocalAgent({ root, stateDir: resolve(root, '.switchyard'), logDir, launch, owned, waitForPeer }),
  ]);
  const entries = [];
  const names = [];
  if (moto) {
    names.push('AWS EC2 (moto)');
    entries.push(`moto=${moto.url}`);
    say(`simulated AWS EC2: moto at ${moto.url} (${moto.note})`);
  }
  if (vcsim) {
    names.push('vSphere (vcsim)');
    entries.push(`vcsim=${vcsim.url}`, `vcsim-ca=${vcsim.caFile}`, `vcsim-user=${VCSIM_USER}`);
    entries.push(`vcsim-password=${VCSIM_PASSWORD}`);
    say(`simulated vSphere: vcsim at ${vcsim.url} (${vcsim.note})`);
  }
  if (agent) {
    names.push('Linux (local) (host agent)');
    entries.push(...agent.entries);
  }
  // the real OpenStack of tools/peers is not started here (2+ minutes, 1.75 GB): the API seeds it
  // when it answers and otherwise says how to start it
  const os = env.OS_AUTH_URL ?? 'http://127.0.0.1:5000/v3';
  entries.push(`openstack=${os}`);
  for (const [key, name] of [
    ['openstack-user', 'OS_USERNAME'],
    ['openstack-password', 'OS_PASSWORD'],
    ['openstack-project', 'OS_PROJECT_NAME'],
  ]) {
    if (env[name]) entries.push(`${key}=${env[name]}`);
  }
  names.push(`OpenStack if it answers at ${os}`);
  return { value: entries.join(','), summary: names.join(', '), stop };
}
