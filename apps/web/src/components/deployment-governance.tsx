import { useState } from 'react';
import { api, ApiError, call, type components } from '../api/client';
import type { DeploymentDetail } from '../api/types';
import { cents } from '../lib/cost-format';
import { useAsync } from '../lib/use-async';

type S = components['schemas'];

const ENDED = new Set(['terminating', 'terminated', 'failed', 'rolling-back']);

/**
 * The governance part of a deployment's page: extending its lease (who may act on it, within the
 * tenant's maximum) and, when Switchyard chose its environments, every environment considered
 * per tier and why it was taken or refused.
 */
export function DeploymentGovernance({
  deployment: d,
  onDone,
}: {
  deployment: DeploymentDetail;
  onDone: () => void;
}) {
  return (
    <>
      {d.leaseHours !== null && d.mayAct && !ENDED.has(d.state) && <ExtendLease id={d.id} onDone={onDone} />}
      <PlacementExplanation id={d.id} />
    </>
  );
}

function ExtendLease({ id, onDone }: { id: string; onDone: () => void }) {
  const [hours, setHours] = useState('24');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setProblem('');
    try {
      await call(
        api.POST('/api/v1/deployments/{id}/lease', {
          params: { path: { id } },
          body: { hours: Number(hours) },
        }),
      );
      onDone();
    } catch (err) {
      setProblem(
        err instanceof ApiError
          ? [err.message, ...err.details.map((x) => x.message)].join(': ')
          : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="row"
      aria-label="Extend the lease"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Extend by{' '}
        <input
          type="number"
          min={1}
          max={8760}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          aria-label="Hours to add"
        />{' '}
        hours
      </label>
      <button type="submit" className="btn btn-small" disabled={busy}>
        Extend lease
      </button>
      {problem && (
        <span role="alert" className="error">
          {problem}
        </span>
      )}
    </form>
  );
}

function PlacementExplanation({ id }: { id: string }) {
  const decision = useAsync(
    () =>
      call<S['PlacementExplanationDto']>(
        api.GET('/api/v1/deployments/{id}/placement', { params: { path: { id } } }),
      ).catch((err: unknown) => {
        // its order named the placement: nothing was chosen
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }),
    [id],
  );
  const p = decision.data;
  if (!p) return null;
  return (
    <>
      <h2>Why these environments</h2>
      <p className="muted small">
        Chosen by the tenant’s placement policy ({p.strategy} allowed environment per tier).
      </p>
      {p.tiers.map((t) => (
        <div key={t.tier} className="table-wrap">
          <table aria-label={`Placement of ${t.tier}`}>
            <caption>
              {t.tier}: {t.chosen}
            </caption>
            <thead>
              <tr>
                <th scope="col">Environment</th>
                <th scope="col">Verdict</th>
                <th scope="col">Per month</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {t.candidates.map((c) => (
                <tr key={c.environment} data-environment={c.environment} data-verdict={c.verdict}>
                  <th scope="row">{c.environment}</th>
                  <td>{c.verdict}</td>
                  <td>{c.monthlyCost ? cents(c.monthlyCost) : '—'}</td>
                  <td>{c.reasons.map((r) => `${r.kind}: ${r.message}`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}
