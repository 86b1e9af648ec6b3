import { REMOVAL_STEPS, type DeploymentState, type DeploymentStep } from './deployment-states.js';
import type { DeploymentEntity, DeploymentFailure } from './deployment.entities.js';
import type { DeploymentChange, NewDeploymentEvent } from './deployment.repository.js';

/** What a step found out, kept on the row with its outcome. */
export type StepFindings = Pick<DeploymentChange, 'outputs' | 'plan'>;

/** How a step ended: what it found, or why it failed. */
export type StepResult = { found?: StepFindings; failure?: undefined } | { failure: DeploymentFailure };

/** Time in the step, and the part of it spent waiting on clouds. */
export interface StepTiming {
  stepMs: number;
  cloudMs: number;
}

/** Where a step's result leads: the state, the next step to queue, and what else changes. */
export interface StepOutcome {
  state: DeploymentState;
  next?: DeploymentStep;
  failure?: DeploymentFailure;
  change?: DeploymentChange;
}

// the steps that build a deployment; a failure in them is rolled back (or fails it as it is)
const BUILD_STEPS: ReadonlySet<DeploymentStep> = new Set<DeploymentStep>([
  'network',
  'provision',
  'configure',
]);

/** The state table of steps: where each step's result leads. */
export function stepOutcome(d: DeploymentEntity, step: DeploymentStep, result: StepResult): StepOutcome {
  return result.failure ? failedStep(d, step, result.failure) : succeededStep(d, step, result.found ?? {});
}

function succeededStep(d: DeploymentEntity, step: DeploymentStep, found: StepFindings): StepOutcome {
  switch (step) {
    case 'network':
      return { state: 'provisioning', next: 'provision' };
    case 'provision':
      return { state: 'provisioning', next: 'configure' };
    case 'configure':
      return { state: 'running', change: { ...found, runningAt: d.runningAt ?? new Date() } };
    case 'stop':
      return { state: 'stopped' };
    case 'start':
    case 'restart':
      return { state: 'running' };
    case 'scale':
      return { state: 'running', change: found };
    case 'rollback':
      return { state: 'failed', change: { endedAt: new Date() } };
    case 'terminate':
      return { state: 'terminated', change: { endedAt: new Date() } };
    case 'done':
      return { state: d.state };
  }
}

function failedStep(d: DeploymentEntity, step: DeploymentStep, failure: DeploymentFailure): StepOutcome {
  // a failed removal cannot be rolled back in turn: it stays failed, and terminate may retry it
  if (REMOVAL_STEPS.has(step)) return { state: 'failed', failure, change: { endedAt: new Date() } };
  if (BUILD_STEPS.has(step)) {
    return d.rollbackOnFailure
      ? { state: 'rolling-back', next: 'rollback', failure }
      : { state: 'failed', failure };
  }
  // an action that failed leaves the deployment as it was, with the reason
  return { state: step === 'start' ? 'stopped' : 'running', failure };
}

/** The event of a finished step. */
export function stepEvent(
  step: DeploymentStep,
  outcome: StepOutcome,
  timing: StepTiming,
): NewDeploymentEvent {
  const { failure, state } = outcome;
  if (!failure) {
    return {
      type: 'state',
      message: `${step} done; deployment is ${state}`,
      data: { step, state, ...timing },
    };
  }
  const where = `${failure.tier ? ` on ${failure.tier}` : ''}${failure.environment ? ` (${failure.environment})` : ''}`;
  return {
    type: 'step.failed',
    message: `${step} failed${where}: ${failure.message}`,
    data: { step, state, ...timing, failure },
  };
}
