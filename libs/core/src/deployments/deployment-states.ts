/** Where a deployment is in its life. */
export const DEPLOYMENT_STATES = [
  // held by an approval rule: no job yet; approving moves it to pending, rejecting or expiry ends it
  'awaiting-approval',
  'rejected',
  'expired',
  'pending',
  'provisioning',
  'running',
  'stopping',
  'stopped',
  'starting',
  'scaling',
  'rolling-back',
  'failed',
  'terminating',
  'terminated',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** The jobs a deployment runs through; each is committed before the next is queued. */
export const DEPLOYMENT_STEPS = [
  'network',
  'provision',
  'configure',
  'done',
  'stop',
  'start',
  'restart',
  'scale',
  'rollback',
  'terminate',
] as const;
export type DeploymentStep = (typeof DEPLOYMENT_STEPS)[number];

/** Steps that remove what a deployment made: they cannot be rolled back in turn. */
export const REMOVAL_STEPS: ReadonlySet<DeploymentStep> = new Set<DeploymentStep>(['rollback', 'terminate']);

export const DEPLOYMENT_ACTIONS = ['stop', 'start', 'restart', 'scale', 'terminate'] as const;
export type DeploymentAction = (typeof DEPLOYMENT_ACTIONS)[number];

const ALLOWED: Record<DeploymentState, readonly DeploymentAction[]> = {
  // approve and reject are an approval's own actions (POST /approvals/{id}/approve|reject)
  'awaiting-approval': [],
  rejected: [],
  expired: [],
  pending: [],
  provisioning: [],
  running: ['stop', 'restart', 'scale', 'terminate'],
  stopping: [],
  stopped: ['start', 'terminate'],
  starting: [],
  scaling: [],
  'rolling-back': [],
  // what a failed deployment kept (rollbackOnFailure: false) can still be removed
  failed: ['terminate'],
  terminating: [],
  terminated: [],
};

/** The actions a deployment in `state` accepts. */
export function allowedActions(state: DeploymentState): readonly DeploymentAction[] {
  return ALLOWED[state];
}

/** The state a deployment enters when an action is accepted. */
export const ACTION_STATE: Record<DeploymentAction, DeploymentState> = {
  stop: 'stopping',
  start: 'starting',
  restart: 'starting',
  scale: 'scaling',
  terminate: 'terminating',
};

/** States in which nothing more will happen on their own. */
export function isSettled(state: DeploymentState): boolean {
  return ['running', 'stopped', 'failed', 'terminated', 'rejected', 'expired'].includes(state);
}
