import { Link } from 'react-router';
import { api, call } from '../api/client';
import type { DeploymentSummary, Page } from '../api/types';
import { Async, Empty } from '../components/states';
import { money, when } from '../lib/format';
import { useAsync } from '../lib/use-async';

export function DeploymentsPage() {
  const list = useAsync(
    () =>
      call<Page<DeploymentSummary>>(api.GET('/api/v1/deployments', { params: { query: { limit: 200 } } })),
    [],
  );
  return (
    <section>
      <div className="page-head">
        <h1>My deployments</h1>
        <button type="button" className="btn btn-small" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </div>
      <Async state={list} what="Loading deployments">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              Nothing deployed yet. <Link to="/catalog">Order something from the catalog</Link>.
            </Empty>
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
                    <th scope="col">Per month</th>
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
                      <td>{money(d.cost.soFar)}</td>
                      <td>{money(d.cost.monthly)}</td>
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
