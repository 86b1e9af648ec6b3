import { randomBytes } from 'node:crypto';

// Set by the global setup for the whole run; a run without it (Jest without the global setup) gets
// an id of its own, and what it leaves is not cleaned up.
const run = process.env.SWITCHYARD_TEST_RUN ?? randomBytes(4).toString('hex');

/** The id of this test run, carried by everything the global teardown removes. */
export function testRunId(): string {
  return run;
}

/** A queue prefix of its own for one Switchyard of this run: `t<run><random>` (hex). */
export function testQueuePrefix(): string {
  return `t${run}${randomBytes(4).toString('hex')}`;
}
