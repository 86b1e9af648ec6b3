import { useState } from 'react';
import { api, ApiError, call, errorText, errorWithDetails } from '../../api/client';
import type { BlueprintSummary, Environment, Page } from '../../api/types';
import { Async, Empty, Loading } from '../../components/states';
import { loadDocument, loadEnvironments, plan, sampleParameters } from '../../lib/blueprint-api';
import { cents, hourlyRate } from '../../lib/cost-format';
import { useAsync } from '../../lib/use-async';
import { useInlineEditor } from '../../lib/use-inline-editor';
import { EnvironmentForm } from './environment-form';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function EnvironmentsPage() {
  const envs = useAsync(loadEnvironments, []);
  const { editing, open, close, heading } = useInlineEditor<Environment>();

  return (
    <section>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Environments and price lists
        </h1>
        <button type="button" className="btn btn-primary" onClick={() => open('new')}>
          Create environment
        </button>
      </div>
      {editing !== null && (
        <EnvironmentForm
          key={editing === 'new' ? 'new' : editing.name}
          env={editing === 'new' ? undefined : editing}
          onCancel={close}
          onSaved={() => {
            close();
            envs.reload();
          }}
        />
      )}
      <Async state={envs} what="Loading environments">
        {(items) =>
          items.length === 0 ? (
            <Empty>No environment yet: create one on a cloud account.</Empty>
          ) : (
            <ul className="account-list" aria-label="Environments">
              {items.map((e) => (
                <li key={e.name} className="card" data-environment={e.name}>
                  <div className="page-head">
                    <div>
                      <h2>
                        {e.title || e.name} <span className="muted">{e.name}</span>
                      </h2>
                      <p className="muted">
                        {[
                          e.provider,
                          e.region,
                          `account ${e.account.name}`,
                          e.shared && 'shared',
                          e.simulated && 'simulated',
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </p>
                    </div>
                    <button
                      type="button"
                      className="btn"
                      aria-label={`Edit ${e.name}`}
                      onClick={() => open(e)}
                    >
                      Edit
                    </button>
                  </div>
                  <PriceSummary env={e} />
                  <PlannableBlueprints env={e.name} />
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

function PriceSummary({ env: e }: { env: Environment }) {
  const types = e.priceList.instanceTypes ?? [];
  return (
    <details className="prices">
      <summary>
        Prices in {e.priceList.currency}
        {e.priceList.source && `, ${e.priceList.source}`}
        {/* lists stored before the source stopped naming its date say it once */}
        {e.priceList.date &&
          !e.priceList.source?.includes(e.priceList.date) &&
          ` (${e.priceList.date})`} · {plural(types.length, 'instance type')}
        {e.priceList.rateCard && ' · rate card'} · {plural(e.images.length, 'image')}
      </summary>
      {types.length > 0 && (
        <div className="table-wrap">
          <table aria-label={`Instance types of ${e.name}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">vCPUs</th>
                <th scope="col">Memory (MiB)</th>
                <th scope="col">Per hour</th>
              </tr>
            </thead>
            <tbody>
              {types.map((t) => (
                <tr key={t.name}>
                  <td>{t.name}</td>
                  <td>{t.cpu}</td>
                  <td>{t.memoryMiB}</td>
                  <td>
                    {t.hourlyPrice
                      ? hourlyRate({ amount: t.hourlyPrice, currency: e.priceList.currency })
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {e.priceList.rateCard && (
        <p className="muted small">
          Rate card: {e.priceList.rateCard.vcpuHour} per vCPU-hour, {e.priceList.rateCard.gibRamHour} per
          GiB-hour of memory, {e.priceList.rateCard.gibDiskMonth} per GiB-month of disk.
        </p>
      )}
    </details>
  );
}

// unknown: the sample values that stand in for required parameters were refused, so the plan
// says nothing about this environment
type Verdict = { blueprint: string; version: string; plans: 'yes' | 'no' | 'unknown'; note: string };
const MARK = { yes: '✓', no: '✗', unknown: '?' } as const;
const SAYS = { yes: 'plans here', no: 'cannot plan here', unknown: 'not known' } as const;

/** Which blueprints can be planned here: each one's latest version, every tier here, default values. */
function PlannableBlueprints({ env }: { env: string }) {
  const [state, setState] = useState<{ rows?: Verdict[]; error?: unknown; busy: boolean }>({ busy: false });
  const check = async () => {
    setState({ busy: true });
    try {
      const page = await call<Page<BlueprintSummary>>(
        api.GET('/api/v1/blueprints', { params: { query: { limit: 500, kind: 'Blueprint' } } }),
      );
      const rows = await Promise.all(
        page.items
          .filter((b) => b.latestVersion)
          .map(async (b): Promise<Verdict> => {
            const version = b.latestVersion ?? '';
            try {
              const doc = await loadDocument(b.name, version);
              const p = await plan(b.name, version, sampleParameters(doc.parameters ?? {}), { default: env });
              return { blueprint: b.name, version, plans: 'yes', note: `${cents(p.total.monthly)} / month` };
            } catch (err) {
              const onlyValues =
                err instanceof ApiError &&
                err.details.length > 0 &&
                err.details.every((d) => d.path.startsWith('parameters.'));
              return onlyValues
                ? {
                    blueprint: b.name,
                    version,
                    plans: 'unknown',
                    note: `needs real parameter values to plan (${err.details.map((d) => `${d.path} ${d.message}`).join('; ')})`,
                  }
                : { blueprint: b.name, version, plans: 'no', note: errorWithDetails(err) };
            }
          }),
      );
      setState({ rows, busy: false });
    } catch (error) {
      setState({ error, busy: false });
    }
  };
  const { rows, error, busy } = state;
  return (
    <div className="plannable" aria-live="polite">
      <button type="button" className="btn btn-small" onClick={() => void check()} disabled={busy}>
        {rows ? 'Check the blueprints again' : 'Which blueprints can plan here?'}
      </button>
      {busy && <Loading what="Planning every published blueprint here" />}
      {error !== undefined && (
        <p className="field-error" role="alert">
          Could not list the blueprints: {errorText(error)}
        </p>
      )}
      {rows &&
        !busy &&
        (rows.length === 0 ? (
          <Empty>No published blueprint to plan.</Empty>
        ) : (
          <>
            <p className="muted small">
              {rows.filter((r) => r.plans === 'yes').length} of {plural(rows.length, 'published blueprint')}{' '}
              can plan here (latest version, every tier here, default parameters):
            </p>
            <ul className="plain" aria-label={`Blueprints on ${env}`}>
              {rows.map((r) => (
                <li key={r.blueprint} data-blueprint={r.blueprint} data-plans={r.plans}>
                  <span className={`mark-${r.plans}`} aria-hidden="true">
                    {MARK[r.plans]}
                  </span>{' '}
                  <strong>
                    {r.blueprint}@{r.version}
                  </strong>{' '}
                  <span className="sr-only">{SAYS[r.plans]}: </span>
                  <span className="muted">{r.note}</span>
                </li>
              ))}
            </ul>
          </>
        ))}
    </div>
  );
}
