import type { Schemas } from '../../core/api-contract.js';

type Event = Schemas['DeploymentEventDto'];

/** The steps that build a deployment, in order; `running` follows them. */
const BUILD_STEPS: ReadonlySet<string> = new Set(['network', 'provision', 'configure']);

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * The line `--wait` prints for an event, or null for events it leaves to `syd deployment events`:
 * a build step done (with its own time and the time since the order), a step failed, and per tier
 * what enforces its policy (the cloud's security group, nftables in the guest).
 */
export function progressLine(e: Event, orderedAt: string): string | null {
  const step = typeof e.data.step === 'string' ? e.data.step : undefined;
  const since = seconds(Date.parse(e.createdAt) - Date.parse(orderedAt));
  const took = typeof e.data.stepMs === 'number' ? `in ${seconds(e.data.stepMs)}` : '';
  if (e.type === 'state' && step && BUILD_STEPS.has(step)) {
    return `${step.padEnd(10)} done ${took}`.trimEnd() + `  (${since} since the order)`;
  }
  if (e.type === 'step.failed' && step) return `${step.padEnd(10)} failed after ${since}: ${e.message}`;
  if (e.type === 'policy.enforced') return `policy: ${e.message}`;
  return null;
}

/** `running    reached after 2.1s`, once the deployment runs. */
export function runningLine(d: Schemas['DeploymentDetailDto']): string | null {
  if (!d.runningAt) return null;
  return `${'running'.padEnd(10)} reached after ${seconds(Date.parse(d.runningAt) - Date.parse(d.createdAt))}`;
}
