// What the whole suite needs besides Postgres and Redis: OpenStack (shared by its tests, minutes to
// boot; moto and vcsim are started by each test file), chromium (the browser tests) and nftables
// (the fabric's packet tests, in network namespaces). As root on Debian `npm test` installs and
// starts them, the way `npm start` installs Postgres; elsewhere it says what is missing, and the
// tests that need it are skipped (and counted so in the summary).
// SWITCHYARD_TEST_PEERS: `auto` (the default: when the whole suite runs), `all`, or `none`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runStep } from './interruptible.mjs';
import { aptInstall, canApt, SetupError } from './services.mjs';

const MODES = ['auto', 'all', 'none'];
const LOCAL_KEYSTONE = 'http://127.0.0.1:5000/v3';
const CHROMIUM = '/usr/bin/chromium';
const NFT = '/usr/sbin/nft';
// a boot someone else runs (up.sh holds its lock throughout, apt included) is waited for this long
const OTHER_BOOT_WAIT_S = 20 * 60;
// OpenStack processes without that lock (a test file's own boot): this long for Keystone to answer
const STRAY_BOOT_WAIT_S = 5 * 60;

const say = (msg) => process.stderr.write(`switchyard: ${msg}\n`);
const nothing = { env: {}, stop: async () => {} };

/**
 * Makes sure of chromium, nftables and OpenStack for the run. Returns the variables the tests need
 * (the OpenStack that up.sh started) and `stop()`, which stops OpenStack only if this started it.
 * `narrowed`: the run was given test arguments, so `auto` prepares nothing.
 */
export async function prepareTestPeers(root, env, { narrowed }) {
  const mode = env.SWITCHYARD_TEST_PEERS ?? 'auto';
  if (!MODES.includes(mode)) {
    throw new SetupError(`SWITCHYARD_TEST_PEERS must be one of ${MODES.join(', ')} (got "${mode}")`);
  }
  if (mode === 'none') {
    say(
      'SWITCHYARD_TEST_PEERS=none: OpenStack, chromium and nftables are used where present, never installed or started',
    );
    return nothing;
  }
  if (mode === 'auto' && narrowed) {
    say(
      'test arguments given: OpenStack, chromium and nftables are used where present (SWITCHYARD_TEST_PEERS=all prepares them)',
    );
    return nothing;
  }
  ensureChromium(env);
  ensureNftables();
  return ensureOpenStack(root, env);
}

function ensureChromium(env) {
  const path = env.CHROMIUM_PATH ?? CHROMIUM;
  if (existsSync(path)) return;
  if (path === CHROMIUM && canApt()) {
    try {
      aptInstall(['chromium']);
    } catch (err) {
      say(err.message);
    }
    if (existsSync(path)) return;
  }
  say(
    `chromium is missing at ${path}: the browser tests are skipped.\n` +
      '  To run them: apt-get install chromium (as root; npm test does it when run as root on Debian)',
  );
}

function ensureNftables() {
  if (existsSync(NFT)) return;
  if (canApt()) {
    try {
      aptInstall(['nftables']);
    } catch (err) {
      say(err.message);
    }
    if (existsSync(NFT)) return;
  }
  say(
    `nft is missing at ${NFT}: the fabric's packet tests are skipped.\n` +
      '  To run them: apt-get install nftables (as root; npm test does it when run as root on Debian)',
  );
}

async function ensureOpenStack(root, env) {
  const authUrl = (env.OS_AUTH_URL ?? LOCAL_KEYSTONE).replace(/\/$/, '');
  const skipped = 'its tests are skipped';
  if (upLockHeld(root)) {
    say(
      'OpenStack is booting (tools/peers/up.sh, started elsewhere): waiting for it, not starting a second one',
    );
    await waitWhile(() => upLockHeld(root), OTHER_BOOT_WAIT_S, 'the OpenStack boot');
  }
  if (await answers(authUrl)) {
    say(`OpenStack answers at ${authUrl}: the tests use it (and leave it running)`);
    return nothing;
  }
  if (authUrl !== LOCAL_KEYSTONE.replace(/\/$/, '')) {
    say(`OpenStack does not answer at OS_AUTH_URL=${authUrl} and is not this machine's to start: ${skipped}`);
    return nothing;
  }
  if (strayOpenStackProcesses(root)) {
    say(
      'OpenStack processes are running but Keystone does not answer yet: waiting, not starting a second one',
    );
    if (await waitWhile(async () => !(await answers(authUrl)), STRAY_BOOT_WAIT_S, 'Keystone')) {
      say(`OpenStack answers at ${authUrl}: the tests use it (and leave it running)`);
      return nothing;
    }
    say(`OpenStack does not answer; stop what is left with tools/peers/down.sh openstack: ${skipped}`);
    return nothing;
  }
  if (!canApt()) {
    say(
      `OpenStack is not running (nothing answers at ${authUrl}) and npm test starts it only as root on ` +
        `Debian: ${skipped}.\n  To run them: sudo tools/peers/up.sh openstack, then npm test`,
    );
    return nothing;
  }
  say(
    'starting OpenStack for the tests: tools/peers/up.sh openstack (about 2 min; ~6 min of apt-get the ' +
      'first time; SWITCHYARD_TEST_PEERS=none skips it)',
  );
  const { code, pid } = await runStep(resolve(root, 'tools/peers/up.sh'), ['openstack'], {
    cwd: root,
    stdio: ['ignore', 2, 'inherit'],
  });
  // up.sh writes its PID there when it boots, not when it found OpenStack running
  const ours = startedBy(root) === String(pid);
  const stop = async () => {
    if (!ours) return;
    say('stopping the OpenStack npm test started (tools/peers/down.sh openstack)');
    spawnSync(resolve(root, 'tools/peers/down.sh'), ['openstack'], { cwd: root, stdio: 'inherit' });
  };
  if (code !== 0) {
    say(`OpenStack did not start (see .switchyard/peers/openstack.log): ${skipped}`);
    return { env: {}, stop };
  }
  return { env: peerVariables(root, 'OS_'), stop };
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: globalThis.AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Whether a tools/peers/up.sh holds the OpenStack boot lock right now. */
function upLockHeld(root) {
  const lock = resolve(root, '.switchyard/peers/openstack.lock');
  if (!existsSync(lock)) return false;
  return spawnSync('flock', ['-n', lock, 'true'], { stdio: 'ignore' }).status === 1;
}

/** Whether a process ostack-up.sh recorded is alive (a boot without up.sh, or a half-stopped one). */
function strayOpenStackProcesses(root) {
  const dir = resolve(root, '.switchyard/openstack/run');
  if (!existsSync(dir)) return false;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pid'))
    .some((f) => alive(Number(readFileSync(resolve(dir, f), 'utf8').trim())));
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function startedBy(root) {
  const file = resolve(root, '.switchyard/peers/openstack.started');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Waits while `busy()` holds, up to `seconds`, saying so now and then; true if it stopped holding. */
async function waitWhile(busy, seconds, what) {
  const started = Date.now();
  let note = 30;
  while (await busy()) {
    const s = Math.round((Date.now() - started) / 1000);
    if (s >= seconds) return false;
    if (s >= note) {
      say(`still waiting for ${what} (${s} s, up to ${seconds} s)`);
      note += 30;
    }
    await sleep(1_000);
  }
  return true;
}

/** The `export NAME='value'` lines of .switchyard/peers/peers.env whose name starts with `prefix`. */
function peerVariables(root, prefix) {
  const file = resolve(root, '.switchyard/peers/peers.env');
  if (!existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z_]+)='([^']*)'$/.exec(line);
    if (m && m[1].startsWith(prefix)) vars[m[1]] = m[2];
  }
  return vars;
}
