// Long steps of `npm test` (booting OpenStack, Jest) run as children that a Ctrl-C must not
// orphan: the launcher stays alive through SIGINT, SIGTERM and SIGHUP, passes the signal on to
// the step running, and cleans up (stops the OpenStack it started) before it exits.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let current;
let interrupted;

/** From now on, a signal is remembered (and passed to the running step) instead of killing the launcher. */
export function holdSignals() {
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      interrupted ??= signal;
      // the terminal may have signalled the step as well (same process group): one more is harmless
      current?.kill(signal);
    });
  }
}

/** The first signal received since holdSignals(), if any. */
export const interruptedBy = () => interrupted;

/** The exit code for a launcher stopped by `signal` (128 + its number, as a shell says). */
export const signalExitCode = (signal) => 128 + (constants.signals[signal] ?? 1);

/** Runs `cmd` with the launcher's stdio; resolves with its exit code (128 + n if a signal ended it) and PID. */
export function runStep(cmd, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...options });
    current = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      current = undefined;
      resolve({ code: code ?? signalExitCode(signal), pid: child.pid });
    });
  });
}
