import { appendFileSync } from 'node:fs';

/** Whether what a group of tests needs is on this machine, and if not, why. */
export interface Availability {
  available: boolean;
  /** Said in the run's summary of skipped tests (test/support/skip-summary-reporter.mjs). */
  reason: string;
  /** An environment variable that, set to 1, turns the missing dependency into a failure (CI). */
  requiredBy?: string;
}

/** `it`, `describe` and `test` for tests that need `what`: the runner's own, or skipping ones. */
export interface Gate {
  it: jest.It;
  describe: jest.Describe;
}

// the reporter gives the file name in this variable to every worker; without it (another
// reporter), skips are still skips, only their reason is not summarised
function record(reason: string): void {
  const log = process.env.SWITCHYARD_SKIP_LOG;
  if (!log) return;
  const testPath = expect.getState().testPath ?? '?';
  appendFileSync(log, JSON.stringify({ testPath, reason }) + '\n');
}

/**
 * Decides before the tests are registered, so that a missing dependency makes them skipped in the
 * runner's count (never passed), and, when `requiredBy` is set to 1, one failing test instead.
 */
export function gate(what: Availability): Gate {
  if (what.available) return { it, describe };
  const required = what.requiredBy !== undefined && process.env[what.requiredBy] === '1';
  // one failing test per missing dependency and file, however many groups need it
  if (required && !failed.has(what.reason)) {
    failed.add(what.reason);
    it(`needs what is missing (${what.requiredBy}=1): ${what.reason}`, () => {
      throw new Error(`${what.requiredBy}=1 but ${what.reason}`);
    });
  }
  record(required ? `${what.reason} (and ${what.requiredBy}=1 made that a failure)` : what.reason);
  return { it: it.skip, describe: describe.skip };
}

const failed = new Set<string>();
