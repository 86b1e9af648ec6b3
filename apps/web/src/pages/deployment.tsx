import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, errorText } from '../api/client';
import type { DeploymentAction, DeploymentDetail, DeploymentEvent } from '../api/types';
import { ConfirmDialog } from '../components/confirm';
import { DeploymentFacts } from '../components/deployment-facts';
import { DeploymentGovernance } from '../components/deployment-governance';
import { ApprovalStatus } from '../components/approval-status';
import { DeploymentTimeline } from '../components/deployment-timeline';
import { StepProgress } from '../components/step-progress';
import { PolicyEnforcement } from '../components/policy-enforcement';
import { Field } from '../components/field';
import { Async, Empty } from '../components/states';
import { followEventStream } from '../lib/event-stream';
import { cents } from '../lib/cost-format';
import { when } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { StatePill } from './deployments';

const ACTIONS: DeploymentAction[] = ['stop', 'start', 'restart', 'scale', 'terminate'];
// its outputs name what no longer exists
const GONE = new Set(['terminating', 'terminated']);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function DeploymentPage() {
  const { id = '' } = useParams();
  const detail = useAsync(
    () => call<DeploymentDetail>(api.GET('/api/v1/deployments/{id}', { params: { path: { id } } })),
    [id],
  );
  const { events, status } = useTimeline(id);
  // every new event may change the state, the instances or the outputs: read them again
  const reload = detail.reload;
  const lastEvent = events.at(-1)?.id;
  useEffect(() => {
    if (lastEvent) reload();
  }, [lastEvent, reload]);
  // a deployment opens at its top, with its state and actions in view, wherever the last page was
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [id]);

  return (
    <section>
      <p className="crumbs">
        <Link to="/deployments">My deployments</Link> / deployment
      </p>
      <Async state={detail} what="Loading the deployment">
        {(d) => (
          <>
            <div className="page-head">
              <div>
                <h1>
                  {d.name} <StatePill state={d.state} />
                </h1>
                <p className="muted">
                  <Link to={`/catalog/${encodeURIComponent(d.blueprint.name)}`}>{d.blueprint.name}</Link> v
                  {d.blueprint.version} · step {d.step} · ordered {when(d.createdAt)}
                </p>
                {d.placement.choice && (
                  <p className="placement-choice">
                    Placed by {d.placement.choice.strategy}: {d.placement.choice.reason}
                  </p>
                )}
                {d.failure && (
                  <p className="state state-error" role="alert">
                    {d.state === 'failed' ? 'Failed' : 'Last failure'} in {d.failure.step}
                    {d.failure.tier && <> on tier {d.failure.tier}</>}
                    {d.failure.environment && (
                      <>
                        {' '}
                        ({d.failure.environment}
                        {d.failure.provider && `, ${d.failure.provider}`})
                      </>
                    )}
                    : {d.failure.message}
                  </p>
                )}
                <ApprovalStatus deploymentId={d.id} state={d.state} />
              </div>
              <dl className="kv">
                <dt>Cost so far</dt>
                <dd data-testid="cost-so-far">{cents(d.cost.soFar)}</dd>
                <dt>Per month</dt>
                <dd>{cents(d.cost.monthly)}</dd>
              </dl>
            </div>
            {d.mayAct ? (
              <Actions deployment={d} onDone={reload} />
            ) : (
              <p className="muted small">
                Only who ordered it, operators and admins can act on this deployment.
              </p>
            )}
            <StepProgress deployment={d} events={events} />
            <PolicyEnforcement deployment={d} />
            <div className="two-col">
              <div>
                <h2>Tiers and instances</h2>
                <Tiers deployment={d} />
                <h2>Outputs</h2>
                {GONE.has(d.state) ? (
                  <p className="muted">None: they went with the deployment.</p>
                ) : (
                  <Outputs outputs={d.outputs} />
                )}
                <DeploymentFacts deployment={d} />
                <DeploymentGovernance deployment={d} onDone={reload} />
              </div>
              <div>
                <h2>
                  Timeline <small className="muted">({status})</small>
                </h2>
                <DeploymentTimeline events={events} />
              </div>
            </div>
          </>
        )}
      </Async>
    </section>
  );
}

function useTimeline(id: string) {
  const [events, setEvents] = useState<DeploymentEvent[]>([]);
  const [status, setStatus] = useState('connecting');
  useEffect(() => {
    setEvents([]);
    const seen = new Set<string>();
    return followEventStream(`/api/v1/deployments/${encodeURIComponent(id)}/events`, {
      onStatus: (s, detail) =>
        setStatus(s === 'open' ? 'live' : s === 'retrying' ? `reconnecting: ${detail}` : s),
      onEvent: (e) => {
        let ev: DeploymentEvent;
        try {
          ev = JSON.parse(e.data) as DeploymentEvent;
        } catch {
          return;
        }
        if (seen.has(ev.id)) return;
        seen.add(ev.id);
        setEvents((all) => [...all, ev]);
      },
    });
  }, [id]);
  return { events, status };
}

function Tiers({ deployment: d }: { deployment: DeploymentDetail }) {
  if (d.tiers.length === 0) return <Empty>No tiers: nothing was placed.</Empty>;
  return (
    <div className="table-wrap">
      <table aria-label="Instances">
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Cloud</th>
            <th scope="col">Address</th>
            <th scope="col">Resource</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {d.tiers.map((t) =>
            t.instances.length === 0 ? (
              <tr key={t.tier} data-tier={t.tier}>
                <th scope="row">
                  {t.tier}{' '}
                  <span className="muted">
                    ({t.count} × {t.instanceType})
                  </span>
                </th>
                <td>
                  {t.environment} <span className="muted">{t.provider}</span>
                </td>
                <td colSpan={3} className="muted">
                  no instances
                </td>
              </tr>
            ) : (
              t.instances.map((i, n) => (
                <tr key={`${t.tier}-${i.index}`} data-tier={t.tier}>
                  <th scope="row">
                    {n === 0 ? (
                      <>
                        {t.tier}{' '}
                        <span className="muted">
                          ({t.count} × {t.instanceType})
                        </span>
                      </>
                    ) : (
                      <span className="muted">{t.tier}</span>
                    )}{' '}
                    #{i.index}
                  </th>
                  <td>
                    {i.environment} <span className="muted">{i.provider}</span>
                  </td>
                  <td>{i.address ?? '—'}</td>
                  <td>
                    <code className="nowrap">{i.resourceId ?? '—'}</code>
                  </td>
                  <td>
                    <StatePill state={i.state} />
                  </td>
                </tr>
              ))
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Outputs({ outputs }: { outputs: Record<string, string> }) {
  const entries = Object.entries(outputs ?? {});
  if (!entries.length) return <p className="muted">No outputs yet: they appear once it runs.</p>;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            {/^https?:\/\//.test(v) ? (
              <a href={v} target="_blank" rel="noreferrer noopener">
                {v}
              </a>
            ) : (
              v
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Actions({ deployment: d, onDone }: { deployment: DeploymentDetail; onDone: () => void }) {
  const [pending, setPending] = useState<DeploymentAction>();
  const [tier, setTier] = useState(d.tiers[0]?.tier ?? '');
  const [count, setCount] = useState(String(d.tiers[0]?.count ?? 1));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const reason = (a: DeploymentAction) =>
    d.allowedActions.includes(a)
      ? undefined
      : `Not while ${d.state}${d.allowedActions.length ? `; allowed now: ${d.allowedActions.join(', ')}` : '; no action is allowed now'}`;

  const run = async () => {
    if (!pending) return;
    setBusy(true);
    setError(undefined);
    try {
      await call(
        api.POST('/api/v1/deployments/{id}/actions', {
          params: { path: { id: d.id } },
          body: pending === 'scale' ? { action: pending, tier, count: Number(count) } : { action: pending },
        }),
      );
      setPending(undefined);
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="actions" role="group" aria-label="Actions">
      {ACTIONS.map((a) => {
        const why = reason(a);
        return (
          <span key={a} className="action">
            <button
              type="button"
              className={`btn ${a === 'terminate' ? 'btn-danger' : ''}`}
              aria-disabled={why ? true : undefined}
              aria-describedby={why ? `why-${a}` : undefined}
              title={why}
              onClick={() => {
                if (why) return;
                setError(undefined);
                setPending(a);
              }}
            >
              {capitalize(a)}
            </button>
            {why && (
              <span id={`why-${a}`} className="sr-only">
                {why}
              </span>
            )}
          </span>
        );
      })}
      {d.allowedActions.length < ACTIONS.length && (
        <p className="muted small">
          {d.allowedActions.length
            ? `While ${d.state}, only ${d.allowedActions.join(', ')} can be done.`
            : `While ${d.state}, nothing can be done.`}
        </p>
      )}
      <ConfirmDialog
        open={pending !== undefined}
        title={`${capitalize(pending ?? '')} ${d.name}?`}
        confirmLabel={pending === 'scale' ? 'Scale' : `Yes, ${pending ?? ''}`}
        danger={pending === 'terminate' || pending === 'stop'}
        busy={busy}
        onCancel={() => setPending(undefined)}
        onConfirm={() => void run()}
      >
        {pending === 'scale' ? (
          <>
            <Field label="Tier" name="scale.tier">
              {(p) => (
                <select {...p} value={tier} onChange={(e) => setTier(e.target.value)}>
                  {d.tiers.map((t) => (
                    <option key={t.tier} value={t.tier}>
                      {t.tier} (now {t.count})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Instances" name="scale.count">
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={0}
                  step={1}
                  value={count}
                  onChange={(e) => setCount(e.target.value)}
                />
              )}
            </Field>
          </>
        ) : (
          <p>
            {pending === 'terminate'
              ? 'Every instance, network and address of this deployment is removed. This cannot be undone.'
              : `The deployment will ${pending ?? ''}.`}
          </p>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
