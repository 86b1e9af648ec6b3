import type { DeploymentDetail, DeploymentEvent } from '../api/types';
import { deploymentProgress, type StepProgress as Step } from '../lib/deployment-progress';
import { duration } from '../lib/durations';
import { useNow } from '../lib/use-now';

const STATUS_TEXT = { done: 'done', current: 'in progress', failed: 'failed', waiting: 'waiting' } as const;

/** network → provision → configure → running: which steps are done, the current one, and how long each took. */
export function StepProgress({
  deployment,
  events,
}: {
  deployment: DeploymentDetail;
  events: DeploymentEvent[];
}) {
  const steps = deploymentProgress(deployment, events);
  const now = useNow(steps.some((s) => s.status === 'current'));
  return (
    <ol className="stepper" aria-label="Progress to running">
      {steps.map((s) => (
        <li
          key={s.name}
          className={`step step-${s.status}`}
          data-step={s.name}
          data-status={s.status}
          aria-current={s.status === 'current' ? 'step' : undefined}
        >
          <span className="step-mark" aria-hidden="true">
            {s.status === 'done' ? '✓' : s.status === 'failed' ? '✕' : ''}
          </span>
          <span className="step-name">{s.name}</span>
          <span className="step-time">{timeText(s, now)}</span>
        </li>
      ))}
    </ol>
  );
}

function timeText(s: Step, now: number): string {
  if (s.name === 'running' && s.status === 'done' && s.tookMs !== undefined) {
    return `reached after ${duration(s.tookMs)}`;
  }
  if (s.tookMs !== undefined) return `${STATUS_TEXT[s.status]} in ${duration(s.tookMs)}`;
  if (s.status === 'current' && s.startedAt) return `for ${duration(now - Date.parse(s.startedAt))}`;
  return STATUS_TEXT[s.status];
}
