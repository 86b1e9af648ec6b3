import { api, call, type components } from '../api/client';
import { cents, hourlyRate } from '../lib/cost-format';
import { when } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { Async } from './states';

type Spend = components['schemas']['SpendDto'];
type CurrencySpend = components['schemas']['CurrencySpendDto'];

/**
 * What the deployments listed cost: the run rate of what runs now, this month to date and its
 * forecast, the total, and where. `reloads` counts the page's refreshes.
 */
export function SpendSummary({ mine, reloads }: { mine: boolean; reloads: number }) {
  const spend = useAsync(
    () => call<Spend>(api.GET('/api/v1/spend', { params: { query: mine ? { mine: true } : {} } })),
    [mine, reloads],
  );
  return (
    <section className="card spend" aria-labelledby="spend-title" data-testid="spend">
      <h2 id="spend-title">{mine ? 'Spend on what I ordered' : 'Spend'}</h2>
      <Async state={spend} what="Adding up the spend">
        {(s) =>
          s.currencies.length === 0 ? (
            <p className="muted">Nothing has run yet: no spend.</p>
          ) : (
            <>
              {s.currencies.map((c) => (
                <CurrencyTotals key={c.currency} spend={c} />
              ))}
              <p className="muted small">
                From each instance’s tier price as ordered, billed from creation to termination (disks only
                while stopped); as of {when(s.asOf)}.
              </p>
            </>
          )
        }
      </Async>
    </section>
  );
}

function CurrencyTotals({ spend: c }: { spend: CurrencySpend }) {
  return (
    <div className="spend-currency" data-currency={c.currency}>
      <dl className="kv spend-totals">
        <dt>Run rate</dt>
        <dd data-testid="spend-run-rate">
          {cents(c.runRate.monthly)} / month{' '}
          <span className="muted">({hourlyRate(c.runRate.hourly)} / hour)</span>
        </dd>
        <dt>Running now</dt>
        <dd>
          {c.instances} instance{c.instances === 1 ? '' : 's'} in {c.deployments} deployment
          {c.deployments === 1 ? '' : 's'}
        </dd>
        <dt>This month</dt>
        <dd data-testid="spend-month-to-date">
          {cents(c.monthToDate)} <span className="muted">(forecast {cents(c.monthForecast)})</span>
        </dd>
        <dt>Total so far</dt>
        <dd data-testid="spend-total">{cents(c.total)}</dd>
      </dl>
      {c.byEnvironment.length > 0 && (
        <div className="table-wrap">
          <table aria-label={`Spend per environment (${c.currency})`}>
            <thead>
              <tr>
                <th scope="col">Environment</th>
                <th scope="col">Instances now</th>
                <th scope="col">Per month now</th>
                <th scope="col">This month</th>
              </tr>
            </thead>
            <tbody>
              {c.byEnvironment.map((e) => (
                <tr key={e.environment}>
                  <th scope="row">
                    {e.environment} <span className="muted">{e.provider}</span>
                  </th>
                  <td>{e.instances}</td>
                  <td>{cents(e.runRate.monthly)}</td>
                  <td>{cents(e.monthToDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
