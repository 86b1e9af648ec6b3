import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, errorText } from '../api/client';
import type { Approval, Page } from '../api/types';
import { Async, Empty } from '../components/states';
import { cents } from '../lib/cost-format';
import { when } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { StatePill } from './deployments';

type Show = 'pending' | 'all';

/**
 * The approvals inbox: orders an approval rule holds, with why, who ordered, the monthly cost and
 * the deadline. Operators and admins approve or reject (with a reason) what others ordered;
 * members see their own orders' approvals here.
 */
export function ApprovalsPage() {
  const [show, setShow] = useState<Show>('pending');
  const list = useAsync(
    () =>
      call<Page<Approval>>(
        api.GET('/api/v1/approvals', {
          params: { query: { limit: 200, ...(show === 'pending' ? { state: 'pending' as const } : {}) } },
        }),
      ),
    [show],
  );
  return (
    <section>
      <div className="page-head">
        <h1>Approvals</h1>
        <button type="button" className="btn btn-small" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </div>
      <form className="filters" aria-label="Which approvals" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Show</span>
          <select value={show} onChange={(e) => setShow(e.target.value as Show)}>
            <option value="pending">Waiting for a decision</option>
            <option value="all">All, decided ones too</option>
          </select>
        </label>
      </form>
      <Async state={list} what="Loading the approvals">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{show === 'pending' ? 'Nothing waits for approval.' : 'No approvals yet.'}</Empty>
          ) : (
            <ul className="cards" aria-label="Approvals">
              {page.items.map((a) => (
                <ApprovalCard key={a.id} approval={a} onDecided={list.reload} />
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

function ApprovalCard({ approval: a, onDecided }: { approval: Approval; onDecided: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const decide = async (verdict: 'approve' | 'reject') => {
    if (verdict === 'reject' && !reason.trim()) {
      setError('Say why you reject it: the orderer reads the reason.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const body = reason.trim() ? { reason: reason.trim() } : {};
      const params = { path: { id: a.id } };
      await call(
        verdict === 'approve'
          ? api.POST('/api/v1/approvals/{id}/approve', { params, body })
          : api.POST('/api/v1/approvals/{id}/reject', { params, body }),
      );
      onDecided();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const reasonId = `reason-${a.id}`;
  return (
    <li className="card" data-approval={a.id} aria-label={`Approval for ${a.deploymentName}`}>
      <h2>
        <Link to={`/deployments/${a.deploymentId}`}>{a.deploymentName}</Link> <StatePill state={a.state} />
      </h2>
      <dl className="kv">
        <dt>Blueprint</dt>
        <dd>{a.blueprint}</dd>
        <dt>Ordered by</dt>
        <dd data-testid="ordered-by">{a.requestedBy.name}</dd>
        <dt>Per month</dt>
        <dd data-testid="monthly-cost">{cents(a.monthlyCost)}</dd>
        <dt>{a.state === 'pending' ? 'Expires' : 'Decided'}</dt>
        <dd>
          {a.state === 'pending'
            ? when(a.expiresAt)
            : `${when(a.decidedAt)} by ${a.decidedBy?.name ?? '—'}${a.decisionReason ? `: ${a.decisionReason}` : ''}`}
        </dd>
      </dl>
      <p>Why it needs approval:</p>
      <ul data-testid="reasons">
        {a.reasons.map((r) => (
          <li key={r.rule}>
            {r.message} <span className="muted">(rule {r.rule})</span>
          </li>
        ))}
      </ul>
      {a.mayDecide ? (
        <div className="actions" role="group" aria-label={`Decide on ${a.deploymentName}`}>
          <label htmlFor={reasonId}>Reason (required to reject)</label>
          <input
            id={reasonId}
            type="text"
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => void decide('approve')}
          >
            Approve
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => void decide('reject')}
          >
            Reject
          </button>
        </div>
      ) : (
        a.state === 'pending' && (
          <p className="muted small">Another operator or an admin decides: not who ordered it.</p>
        )
      )}
      {error && (
        <p className="state state-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
