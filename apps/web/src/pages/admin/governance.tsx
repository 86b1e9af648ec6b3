import { useState } from 'react';
import { api, call, type components } from '../../api/client';
import { Async } from '../../components/states';
import { cents } from '../../lib/cost-format';
import { when } from '../../lib/format';
import { useAsync } from '../../lib/use-async';

type S = components['schemas'];
type Quota = S['QuotaDto'];

/**
 * Governance at a glance for operators and admins: each quota as bars of what is reserved
 * against its limits, what is reserved and running per environment, the month's budget with its
 * alerts, and what was spent this month per environment or blueprint.
 */
export function GovernancePage() {
  return (
    <section>
      <h1>Quotas and budget</h1>
      <Quotas />
      <Budget />
      <SpendReport />
    </section>
  );
}

function Quotas() {
  const quotas = useAsync(() => call<S['QuotaListDto']>(api.GET('/api/v1/quotas', {})), []);
  const usage = useAsync(() => call<S['QuotaUsageDto']>(api.GET('/api/v1/quotas/usage', {})), []);
  return (
    <div className="card" data-testid="quotas">
      <h2>Quotas</h2>
      <Async state={quotas} what="Reading the quotas">
        {(q) =>
          q.items.length === 0 ? (
            <p className="muted">No quota: tenant {q.tenant} may use as much as it orders.</p>
          ) : (
            q.items.map((item) => <QuotaBars key={item.environment ?? ''} quota={item} />)
          )
        }
      </Async>
      <h3>Reserved and running</h3>
      <Async state={usage} what="Adding up what is reserved">
        {(u) => (
          <>
            <div className="table-wrap">
              <table aria-label="Usage per environment">
                <thead>
                  <tr>
                    <th scope="col">Environment</th>
                    <th scope="col">Instances reserved</th>
                    <th scope="col">Instances running</th>
                    <th scope="col">vCPUs reserved</th>
                    <th scope="col">Memory reserved</th>
                  </tr>
                </thead>
                <tbody>
                  {[...u.environments, { environment: 'All', reserved: u.reserved, running: u.running }].map(
                    (e) => (
                      <tr key={e.environment} data-environment={e.environment}>
                        <th scope="row">{e.environment}</th>
                        <td data-testid="reserved-instances">{e.reserved.instances}</td>
                        <td data-testid="running-instances">{e.running.instances}</td>
                        <td>{e.reserved.vcpus}</td>
                        <td>{gib(e.reserved.memoryMiB)}</td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
            <p className="muted small">
              Orders and scales reserve what they will take when they are accepted; a deployment at rest holds
              what its instances take.{' '}
              {u.mismatched === 0
                ? 'Every deployment at rest holds what it reserves.'
                : `${u.mismatched} deployment(s) at rest hold other than they reserve.`}
            </p>
          </>
        )}
      </Async>
    </div>
  );
}

function QuotaBars({ quota: q }: { quota: Quota }) {
  const scope = q.environment ?? 'Whole tenant';
  const rows: { label: string; used: number; limit: number | null; text: (n: number) => string }[] = [
    { label: 'Instances', used: q.used.instances, limit: q.limits.instances, text: String },
    { label: 'vCPUs', used: q.used.vcpus, limit: q.limits.vcpus, text: String },
    { label: 'Memory', used: q.used.memoryMiB, limit: q.limits.memoryMiB, text: gib },
  ];
  const cost = q.limits.monthlyCost;
  return (
    <div className="quota" data-quota={q.environment ?? '*'}>
      <h3>{scope}</h3>
      <dl className="kv">
        {rows
          .filter((r) => r.limit !== null)
          .map((r) => (
            <Bar
              key={r.label}
              label={r.label}
              used={r.used}
              limit={r.limit!}
              text={`${r.text(r.used)} of ${r.text(r.limit!)}`}
            />
          ))}
        {cost && q.used.monthlyCost && (
          <Bar
            label="Monthly cost"
            used={Number(q.used.monthlyCost.amount)}
            limit={Number(cost.amount)}
            text={`${cents(q.used.monthlyCost)} of ${cents(cost)}`}
          />
        )}
      </dl>
      <p className="muted small">
        Set by {q.updatedBy}, {when(q.updatedAt)}
      </p>
    </div>
  );
}

function Bar({ label, used, limit, text }: { label: string; used: number; limit: number; text: string }) {
  const percent = limit > 0 ? Math.min(100, (used / limit) * 100) : used > 0 ? 100 : 0;
  return (
    <div data-resource={label}>
      <dt>{label}</dt>
      <dd>
        <span
          className={`bar${percent >= 100 ? ' bar-full' : percent >= 80 ? ' bar-high' : ''}`}
          role="meter"
          aria-label={`${label} used`}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={used}
        >
          <span style={{ width: `${percent}%` }} />
        </span>{' '}
        <span data-testid="quota-text">{text}</span>
      </dd>
    </div>
  );
}

function Budget() {
  const budget = useAsync(() => call<S['BudgetDto']>(api.GET('/api/v1/budget', {})), []);
  return (
    <div className="card" data-testid="budget">
      <h2>Budget</h2>
      <Async state={budget} what="Reading the budget">
        {(b) =>
          !b.budget ? (
            <p className="muted">No budget set for tenant {b.tenant}.</p>
          ) : (
            <>
              <dl className="kv">
                <dt>Budget for {b.month.slice(0, 7)}</dt>
                <dd data-testid="budget-amount">{cents(b.budget)}</dd>
                <dt>Forecast</dt>
                <dd>
                  <span
                    className={`bar${(b.percent ?? 0) >= 100 ? ' bar-full' : (b.percent ?? 0) >= 80 ? ' bar-high' : ''}`}
                    role="meter"
                    aria-label="Forecast of the budget"
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={b.percent ?? 0}
                  >
                    <span style={{ width: `${Math.min(100, b.percent ?? 0)}%` }} />
                  </span>{' '}
                  <span data-testid="budget-forecast">
                    {cents(b.forecast)} ({b.percent}%)
                  </span>
                  <div className="muted small">The monthly run rate of what the tenant holds now.</div>
                </dd>
                <dt>Spent this month</dt>
                <dd data-testid="budget-month-to-date">{cents(b.monthToDate)}</dd>
                <dt>Alerts at</dt>
                <dd>{b.thresholds.map((t) => `${t}%`).join(', ')}</dd>
              </dl>
              {b.alerts.length > 0 ? (
                <ul aria-label="Budget alerts" className="alerts">
                  {b.alerts.map((a) => (
                    <li key={`${a.threshold}-${a.basis}`} data-threshold={a.threshold}>
                      {a.threshold}% reached: forecast {cents(a.spent)} of {cents(a.budget)},{' '}
                      {when(a.createdAt)}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No alert this month.</p>
              )}
            </>
          )
        }
      </Async>
    </div>
  );
}

function SpendReport() {
  const [groupBy, setGroupBy] = useState<'environment' | 'blueprint'>('environment');
  const report = useAsync(() => {
    const now = new Date();
    const from = `${now.toISOString().slice(0, 7)}-01T00:00:00Z`;
    return call<S['SpendReportDto']>(
      api.GET('/api/v1/spend/report', { params: { query: { from, to: now.toISOString(), groupBy } } }),
    );
  }, [groupBy]);
  return (
    <div className="card" data-testid="spend-report">
      <h2>Spent this month</h2>
      <label>
        By{' '}
        <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
          <option value="environment">environment</option>
          <option value="blueprint">blueprint</option>
        </select>
      </label>
      <Async state={report} what="Adding up the month">
        {(r) =>
          r.items.length === 0 ? (
            <p className="muted">Nothing spent this month.</p>
          ) : (
            <div className="table-wrap">
              <table aria-label={`Spend per ${r.groupBy}`}>
                <thead>
                  <tr>
                    <th scope="col">{r.groupBy === 'blueprint' ? 'Blueprint' : 'Environment'}</th>
                    <th scope="col">Deployments</th>
                    <th scope="col">Spent</th>
                  </tr>
                </thead>
                <tbody>
                  {r.items.map((i) => (
                    <tr key={`${i.key}-${i.spent.currency}`} data-key={i.key}>
                      <th scope="row">{i.key}</th>
                      <td>{i.deployments}</td>
                      <td data-testid="spent">{cents(i.spent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </div>
  );
}

function gib(mib: number): string {
  return `${(mib / 1024).toFixed(mib % 1024 === 0 ? 0 : 1)} GiB`;
}
