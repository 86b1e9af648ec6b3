import { ACTION_STATE, type DeploymentAction } from '@switchyard/core/deployments';
import type { Span } from './deployment-cost.util.js';

/** A deployment event as cost reads it. */
export interface StateEvent {
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** The events that move a deployment's state: actions asked for, and steps done or failed. */
export const STATE_EVENT_TYPES = ['action', 'state', 'step.failed'] as const;

function stateAfter(e: StateEvent): string | undefined {
  if (e.type === 'action') return ACTION_STATE[e.data.action as DeploymentAction];
  return (STATE_EVENT_TYPES as readonly string[]).includes(e.type) && typeof e.data.state === 'string'
    ? e.data.state
    : undefined;
}

/**
 * When the deployment was stopped, from its events (oldest first): from the stop step's end to the
 * next action (start, terminate…). Stopping and starting count as running: the instances are.
 */
export function stoppedSpans(events: readonly StateEvent[]): Span[] {
  const spans: Span[] = [];
  let since: Date | undefined;
  for (const e of events) {
    const state = stateAfter(e);
    if (state === undefined) continue;
    if (state === 'stopped') since ??= e.createdAt;
    else if (since) {
      spans.push({ from: since, to: e.createdAt });
      since = undefined;
    }
  }
  if (since) spans.push({ from: since, to: null });
  return spans;
}
