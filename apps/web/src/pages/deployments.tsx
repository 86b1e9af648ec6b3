import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DEPLOYMENT_STATES } from '@switchyard/core/deployment-states';
import { api, call } from '../api/client';
import type { operations } from '../api/schema';
import type { DeploymentSummary, Page } from '../api/types';
import { SpendSummary } from '../components/spend-summary';
import { Async, Empty } from '../components/states';
import { cents } from '../lib/cost-format';
import { when } from '../lib/format';
import { useAsync, useDebounced } from '../lib/use-async';

// every state the API has; the generated schema's filter must take each of them
type StateFilter = NonNullable<
  NonNullable<operations['DeploymentsController_list']['parameters']['query']>['state']
>;
const STATES: readonly StateFilter[] = DEPLOYMENT_STATES;

export function DeploymentsPage() {
  // the filters live here and are mirrored into the URL (shareable, kept on reload)
  const [params, setParams] = useSearchParams();
  const [mine, setMine] = useState(params.get('mine') === 'true');
  const [state, setState] = useState(params.get('state') ?? '');
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 250);
  useEffect(() => {
    const next = new URLSearchParams();
    if (q) next.set('q', q);
    if (state) next.set('state', state);
    if (mine) next.set('mine', 'true');
    setParams(next, { replace: true });
  }, [q, state, mine, setParams]);
  const filtered = mine || state !== '' || q !== '';
  const [reloads, setReloads] = useState(0);
  const list = useAsync(
    () =>
      call<Page<DeploymentSummary>>(
        api.GET('/api/v1/deployments', {
          params: {
            query: {
              limit: 200,
              ...(mine ? { mine: true } : {}),
              ...(state ? { state: state as StateFilter } : {}),
              ...(q ? { q } : {}),
            },
          },
        }),
      ),
    [mine, state, q],
  );
  return (
    <section>
      <div className="page-head">
        <h1>My deployments</h1>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            list.reload();
            setReloads((n) => n + 1);
          }}
          disabled={list.loading}
        >
          Refresh
        </button>
      </div>
      <form
        className="filters"
        role="search"
        aria-label="Filter deployments"
        onSubmit={(e) => e.preventDefault()}
      >
        <label>
          <span>Name</span>
          <input
            type="search"
            placeholder="part of the name"
            maxLength={64}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          <span>State</span>
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">Any state</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s.replace('-', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />{' '}
          <span>Only the ones I ordered</span>
        </label>
      </form>
      <SpendSummary mine={mine} reloads={reloads} />
      <Async state={list} what="Loading deployments">
        {(page) =>
          page.items.length === 0 ? (
            filtered ? (
              <Empty>No deployment matches these filters.</Empty>
            ) : (
              <Empty>
                Nothing deployed yet. <Link to="/catalog">Order something from the catalog</Link>.
              </Empty>
            )
          ) : (
            <div className="table-wrap">
              <table aria-label="Deployments">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Blueprint</th>
                    <th scope="col">State</th>
                    <th scope="col">Environments</th>
                    <th scope="col">Cost so far</th>
                    <th scope="col" title="What its instances bill now, for a month of 730 hours">
                      Per month now
                    </th>
                    <th scope="col">Ordered</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <Link to={`/deployments/${d.id}`}>{d.name}</Link>
                      </td>
                      <td>
                        {d.blueprint.name} <span className="muted">v{d.blueprint.version}</span>
                      </td>
                      <td>
                        <StatePill state={d.state} />
                      </td>
                      <td>{d.environments.join(', ')}</td>
                      <td>{cents(d.cost.soFar)}</td>
                      <td>{cents(d.cost.monthly)}</td>
                      <td>{when(d.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </section>
  );
}

export function StatePill({ state }: { state: string }) {
  return <span className={`state-pill s-${state}`}>{state}</span>;
}
