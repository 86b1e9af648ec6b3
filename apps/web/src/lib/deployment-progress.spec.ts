import { describe, expect, it } from '@jest/globals';
import type { DeploymentDetail, DeploymentEvent } from '../api/types';
import { deploymentProgress } from './deployment-progress';

const ORDERED = '2026-12-05T10:00:00.000Z';

const deployment = (fields: Partial<DeploymentDetail>): DeploymentDetail =>
  ({ state: 'provisioning', createdAt: ORDERED, runningAt: null, ...fields }) as DeploymentDetail;

let id = 0;
const event = (type: string, at: string, data: Record<string, unknown>): DeploymentEvent => ({
  id: String(++id),
  type,
  message: `${type} ${JSON.stringify(data)}`,
  data,
  createdAt: at,
});
const done = (step: string, at: string, stepMs: number) =>
  event('state', at, { step, stepMs, state: 'provisioning' });

const summary = (d: DeploymentDetail, events: DeploymentEvent[]) =>
  deploymentProgress(d, events).map((s) => [s.name, s.status, s.startedAt ?? null, s.tookMs ?? null]);

describe('deploymentProgress: the steps to running', () => {
  it('a new order is at its network step, started when it was ordered', () => {
    expect(summary(deployment({ state: 'pending' }), [])).toEqual([
      ['network', 'current', ORDERED, null],
      ['provision', 'waiting', null, null],
      ['configure', 'waiting', null, null],
      ['running', 'waiting', null, null],
    ]);
  });

  it('a done step gives its time, and the next one starts when it ended', () => {
    const events = [done('network', '2026-12-05T10:00:02.000Z', 1800)];
    expect(summary(deployment({}), events)).toEqual([
      ['network', 'done', ORDERED, 1800],
      ['provision', 'current', '2026-12-05T10:00:02.000Z', null],
      ['configure', 'waiting', null, null],
      ['running', 'waiting', null, null],
    ]);
  });

  it('a failed step is marked failed, and what follows waits', () => {
    const events = [
      done('network', '2026-12-05T10:00:02.000Z', 1800),
      event('step.failed', '2026-12-05T10:00:09.000Z', { step: 'provision', stepMs: 7000 }),
    ];
    expect(summary(deployment({ state: 'rolling-back' }), events)).toEqual([
      ['network', 'done', ORDERED, 1800],
      ['provision', 'failed', '2026-12-05T10:00:02.000Z', 7000],
      ['configure', 'waiting', null, null],
      ['running', 'waiting', null, null],
    ]);
  });

  it('a deployment that ran has every step done, and running says how long the way took', () => {
    const events = [
      done('network', '2026-12-05T10:00:02.000Z', 1800),
      done('provision', '2026-12-05T10:00:30.000Z', 28000),
      done('configure', '2026-12-05T10:00:31.000Z', 900),
      // a later action's step is not one of the build's
      done('scale', '2026-12-05T11:00:00.000Z', 5000),
    ];
    const ran = deployment({ state: 'running', runningAt: '2026-12-05T10:00:31.000Z' });
    expect(summary(ran, events)).toEqual([
      ['network', 'done', ORDERED, 1800],
      ['provision', 'done', '2026-12-05T10:00:02.000Z', 28000],
      ['configure', 'done', '2026-12-05T10:00:30.000Z', 900],
      ['running', 'done', ORDERED, 31000],
    ]);
    // before its events have arrived, it is still known to have done them
    expect(summary(ran, []).map(([name, status]) => [name, status])).toEqual([
      ['network', 'done'],
      ['provision', 'done'],
      ['configure', 'done'],
      ['running', 'done'],
    ]);
  });
});
