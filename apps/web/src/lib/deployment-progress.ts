import type { DeploymentDetail, DeploymentEvent } from '../api/types';

/** The steps an order goes through before it runs, in order. */
export const BUILD_STEPS = ['network', 'provision', 'configure'] as const;

export type StepStatus = 'done' | 'current' | 'failed' | 'waiting';

export interface StepProgress {
  name: (typeof BUILD_STEPS)[number] | 'running';
  status: StepStatus;
  /** When it started (ISO), if it has. */
  startedAt?: string;
  /** How long it took, once it ended. */
  tookMs?: number;
}

interface StepData {
  step?: string;
  stepMs?: number;
}

const stepOf = (e: DeploymentEvent): StepData => (e.data ?? {}) as StepData;

/**
 * Where the order is on its way to running, from the deployment and its events (oldest first): a
 * step is done once its 'state' event says so (with the time it took), failed on 'step.failed',
 * and the one after the last done step is the current one while the deployment is being built.
 */
export function deploymentProgress(d: DeploymentDetail, events: DeploymentEvent[]): StepProgress[] {
  const building = d.state === 'pending' || d.state === 'provisioning';
  const ended = (step: string, type: string) =>
    events.find((e) => e.type === type && stepOf(e).step === step);
  let startedAt: string | undefined = d.createdAt;
  let blocked = false;
  const steps: StepProgress[] = BUILD_STEPS.map((name) => {
    const start = startedAt;
    startedAt = undefined;
    const done = ended(name, 'state');
    if (done && !blocked) {
      startedAt = done.createdAt;
      return { name, status: 'done', startedAt: start, tookMs: stepOf(done).stepMs };
    }
    // a deployment that ran has done every step, even if its events are not all here yet
    if (d.runningAt) return { name, status: 'done' };
    if (blocked) return { name, status: 'waiting' };
    blocked = true;
    const failed = ended(name, 'step.failed');
    if (failed) return { name, status: 'failed', startedAt: start, tookMs: stepOf(failed).stepMs };
    return building ? { name, status: 'current', startedAt: start } : { name, status: 'waiting' };
  });
  // reached: how long the whole way took, from the order
  steps.push(
    d.runningAt
      ? {
          name: 'running',
          status: 'done',
          startedAt: d.createdAt,
          tookMs: Date.parse(d.runningAt) - Date.parse(d.createdAt),
        }
      : { name: 'running', status: 'waiting' },
  );
  return steps;
}
