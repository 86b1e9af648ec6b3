import { Link } from 'react-router';
import { api, call } from '../api/client';
import type { Approval, Page } from '../api/types';
import { cents } from '../lib/cost-format';
import { when } from '../lib/format';
import { useAsync } from '../lib/use-async';

const WAITING_STATES = new Set(['awaiting-approval', 'rejected', 'expired']);

/**
 * Why a deployment waits for approval (the rules that hold it, until when), or why it ended
 * unapproved (who rejected it and why, or that it expired). Nothing for other deployments.
 */
export function ApprovalStatus({ deploymentId, state }: { deploymentId: string; state: string }) {
  const shown = WAITING_STATES.has(state);
  const approval = useAsync(
    () =>
      shown
        ? call<Page<Approval>>(
            api.GET('/api/v1/approvals', { params: { query: { deploymentId, limit: 1 } } }),
          ).then((p) => p.items[0] ?? null)
        : Promise.resolve(null),
    [deploymentId, state],
  );
  const a = approval.data;
  if (!shown || !a) return null;
  return (
    <section
      className={`state ${a.state === 'pending' ? 'state-empty' : 'state-error'}`}
      aria-label="Approval"
      data-testid="approval-status"
    >
      {a.state === 'pending' && (
        <div>
          <strong>Waiting for approval</strong> by an operator (not by {a.requestedBy.name}, who ordered it),
          until {when(a.expiresAt)}. Estimated {cents(a.monthlyCost)} per month.
        </div>
      )}
      {a.state === 'rejected' && (
        <div>
          <strong>Rejected</strong> by {a.decidedBy?.name} on {when(a.decidedAt)}: {a.decisionReason}
        </div>
      )}
      {a.state === 'expired' && (
        <div>
          <strong>The approval expired</strong> on {when(a.expiresAt)}: nobody approved or rejected it in
          time. Order it again to ask anew.
        </div>
      )}
      <div>Why it needs approval:</div>
      <ul>
        {a.reasons.map((r) => (
          <li key={r.rule}>
            {r.message} <span className="muted">(rule {r.rule})</span>
          </li>
        ))}
      </ul>
      {a.mayDecide && <Link to="/approvals">Decide in the approvals inbox</Link>}
    </section>
  );
}
