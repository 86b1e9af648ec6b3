// `npm start`'s API and worker. Each runs in a process group of its own, so that a terminal's
// Ctrl-C (SIGINT to its foreground group) reaches only this launcher, which asks each process to
// stop exactly once (SIGTERM: the worker finishes or hands back its jobs in flight). Their logs
// come through here: JSON records are written for people on a terminal (LOG_FORMAT), and what the
// API prints outside its log before it is ready (the admin token) is held back and printed after
// the ready banner, last, where it is not buried.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const say = (msg) => process.stderr.write(`switchyard: ${msg}\n`);
// a second Ctrl-C within this time is the same keypress forwarded again (npm forwards SIGINT to
// the script it runs, which the terminal has signalled already); a later one means "now"
const SAME_SIGNAL_MS = 1_000;
// after the API answers and the worker consumes, the banner waits for the start-up logs to settle
const QUIET_MS = 1_000;
const MAX_SETTLE_MS = 10_000;
// a worker at LOG_LEVEL=warn never says that it consumes: counted as ready this long after the API
const WORKER_READY_FALLBACK_MS = 20_000;

function launch(root, script, env) {
  return spawn(process.execPath, ['--enable-source-maps', script], {
    cwd: root,
    // the launcher writes the records for people itself, so it asks for JSON
    env: { ...env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
    // its own process group (a new session): the terminal's SIGINT does not reach it
    detached: true,
  });
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: globalThis.AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Runs the API and the worker until a signal or until one of them exits; resolves with the exit
 * code for the launcher. `banner()` gives the lines printed once both are ready.
 */
export function runApps({ root, env, port, host, pretty, color, formatLogRecord, banner, onStop }) {
  const children = [
    ['api', launch(root, 'apps/api/dist/main.js', env)],
    ['worker', launch(root, 'apps/worker/dist/main.js', env)],
  ];
  const held = [];
  let isReady = false;
  let workerConsumes = false;
  // a clustered API (API_PROCESSES not 1) is ready once its primary says every process listens
  let apiAllListen = env.API_PROCESSES === undefined || env.API_PROCESSES === '1';
  let lastOutputAt = Date.now();
  const write = (text) => process.stdout.write(text);
  const flushHeld = () => {
    for (const line of held.splice(0)) write(`${line}\n`);
  };

  for (const [name, child] of children) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      lastOutputAt = Date.now();
      const record = parseRecord(line);
      if (!record) {
        // the API's words outside its log (the admin token): after the banner, not before it
        if (name === 'api' && !isReady) held.push(line);
        else write(`${line}\n`);
        return;
      }
      if (
        name === 'api' &&
        typeof record.msg === 'string' &&
        /^Switchyard API: \d+ processes listen/.test(record.msg)
      )
        apiAllListen = true;
      if (name === 'worker' && typeof record.msg === 'string' && record.msg.startsWith('consuming ')) {
        workerConsumes = true;
      }
      write(pretty ? `${formatLogRecord(record, { process: name, color })}\n` : `${line}\n`);
    });
  }

  let stopping = false;
  let lastSignalAt = 0;
  let code = 0;
  const alive = () => children.filter(([, c]) => c.exitCode === null && c.signalCode === null);
  const stop = (exitCode) => {
    if (stopping) return;
    stopping = true;
    code = exitCode;
    for (const [, child] of alive()) child.kill('SIGTERM');
    onStop();
  };
  const onSignal = (signal) => {
    const now = Date.now();
    if (now - lastSignalAt < SAME_SIGNAL_MS) return;
    lastSignalAt = now;
    if (!stopping) {
      say(`${signal}: stopping the API and the worker (the worker finishes its jobs in flight)`);
      stop(0);
      return;
    }
    say(`${signal} again: stopping now`);
    for (const [, child] of alive()) child.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
  // a launcher that dies of an error must not leave its processes behind (they are not in its group)
  process.on('exit', () => {
    for (const [, child] of alive()) child.kill('SIGTERM');
  });

  const exited = children.map(
    ([name, child]) =>
      new Promise((resolve) => {
        child.on('exit', (exitCode, signal) => {
          if (!stopping) say(`${name} exited (${signal ?? exitCode}); stopping the rest`);
          stop(exitCode || 1);
          resolve();
        });
      }),
  );

  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const announce = async () => {
    const apiUp = await waitFor(
      () => answers(`http://${local}:${port}/health/live`),
      () => stopping,
    );
    if (!apiUp) return;
    const since = Date.now();
    await waitFor(
      async () => (workerConsumes && apiAllListen) || Date.now() - since > WORKER_READY_FALLBACK_MS,
      () => stopping,
    );
    const settleFrom = Date.now();
    while (!stopping && Date.now() - lastOutputAt < QUIET_MS && Date.now() - settleFrom < MAX_SETTLE_MS) {
      await sleep(100);
    }
    if (stopping) return;
    isReady = true;
    const tokenPrinted = held.length > 0;
    write(`\n${banner({ tokenPrinted }).join('\n')}\n${tokenPrinted ? '' : '\n'}`);
    flushHeld();
  };
  void announce();

  return Promise.all(exited).then(() => {
    // a token printed by an API that did not get ready must still be seen
    flushHeld();
    return code;
  });
}

async function waitFor(check, cancelled) {
  while (!cancelled()) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

function parseRecord(line) {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line);
    return record && typeof record === 'object' && 'level' in record ? record : undefined;
  } catch {
    return undefined;
  }
}
