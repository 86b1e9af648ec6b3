import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, call, errorWithDetails } from '../api/client';
import type { BlueprintDetail, BlueprintDocument, Environment, Plan } from '../api/types';
import { Async, Empty, ErrorBox, Loading } from '../components/states';
import { TopologyDiagram } from '../components/topology';
import { loadDocument, loadEnvironments, plan, sampleParameters } from '../lib/blueprint-api';
import { money, when } from '../lib/format';
import { useAsync } from '../lib/use-async';

export function BlueprintPage() {
  const { name = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const detail = useAsync(
    () => call<BlueprintDetail>(api.GET('/api/v1/blueprints/{name}', { params: { path: { name } } })),
    [name],
  );
  return (
    <Async state={detail} what="Loading the blueprint">
      {(bp) => {
        const version = search.get('version') ?? bp.latestVersion ?? bp.versions[0]?.version;
        return (
          <section>
            <p className="crumbs">
              <Link to="/catalog">Catalog</Link> / {bp.name}
            </p>
            <div className="page-head">
              <div>
                <h1>{bp.title}</h1>
                <p>{bp.description}</p>
                <div className="meta">
                  {bp.category && <span className="badge">{bp.category}</span>}
                  {bp.tags.map((t) => (
                    <span key={t} className="tag">
                      #{t}
                    </span>
                  ))}
                  <span className="muted">owner {bp.owner}</span>
                </div>
              </div>
              {version && bp.kind === 'Blueprint' && (
                <Link
                  className="btn btn-primary"
                  to={`/catalog/${encodeURIComponent(bp.name)}/${version}/order`}
                >
                  Order v{version}
                </Link>
              )}
            </div>
            <h2>Versions</h2>
            {bp.versions.length === 0 ? (
              <Empty>No versions yet.</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">State</th>
                      <th scope="col">Published</th>
                      <th scope="col">
                        <span className="sr-only">Show</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {bp.versions.map((v) => (
                      <tr key={v.version} aria-current={v.version === version ? 'true' : undefined}>
                        <td>{v.version}</td>
                        <td>
                          <span className={`state-pill s-${v.state}`}>{v.state}</span>
                        </td>
                        <td>{when(v.publishedAt)}</td>
                        <td>
                          {v.version === version ? (
                            <span className="muted">shown</span>
                          ) : (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => setSearch({ version: v.version }, { replace: true })}
                            >
                              Show v{v.version}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {version && <VersionView name={bp.name} version={version} />}
          </section>
        );
      }}
    </Async>
  );
}

function VersionView({ name, version }: { name: string; version: string }) {
  const doc = useAsync(() => loadDocument(name, version), [name, version]);
  return (
    <Async state={doc} what="Loading the version">
      {(d) => (
        <>
          <h2>Topology</h2>
          <TopologyDiagram doc={d} />
          <h2>Parameters</h2>
          <ParametersTable doc={d} />
          {d.kind === 'Blueprint' && <CostComparison name={name} version={version} doc={d} />}
        </>
      )}
    </Async>
  );
}

function ParametersTable({ doc }: { doc: BlueprintDocument }) {
  const entries = Object.entries(doc.parameters ?? {});
  if (!entries.length) return <Empty>No parameters: it is ordered as it is.</Empty>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Default</th>
            <th scope="col">Rules</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([n, p]) => (
            <tr key={n}>
              <td>
                <code>{n}</code>
                {p.required && <span className="req"> required</span>}
              </td>
              <td>{p.type}</td>
              <td>{p.default === undefined ? '—' : String(p.default)}</td>
              <td className="muted">
                {[
                  p.minimum !== undefined ? `≥ ${p.minimum}` : '',
                  p.maximum !== undefined ? `≤ ${p.maximum}` : '',
                  p.values ? `one of ${p.values.join(', ')}` : '',
                  p.pattern ? `matches ${p.pattern}` : '',
                ]
                  .filter(Boolean)
                  .join('; ') || '—'}
              </td>
              <td>{p.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Priced = { env: Environment; plan?: Plan; error?: unknown };

/** The same blueprint planned once per environment, side by side, with default parameters. */
function CostComparison({ name, version, doc }: { name: string; version: string; doc: BlueprintDocument }) {
  const envs = useAsync(loadEnvironments, []);
  const [priced, setPriced] = useState<Priced[]>();
  useEffect(() => {
    if (!envs.data) return;
    const controller = new AbortController();
    const params = sampleParameters(doc.parameters ?? {});
    setPriced(undefined);
    void Promise.all(
      envs.data.map((env) =>
        plan(name, version, params, { default: env.name }, controller.signal).then(
          (p): Priced => ({ env, plan: p }),
          (error: unknown): Priced => ({ env, error }),
        ),
      ),
    ).then((all) => !controller.signal.aborted && setPriced(all));
    return () => controller.abort();
  }, [envs.data, name, version, doc]);

  return (
    <>
      <h2>Cost per environment</h2>
      {envs.error ? (
        <ErrorBox error={envs.error} retry={envs.reload} />
      ) : !envs.data || (envs.data.length > 0 && !priced) ? (
        <Loading what="Pricing on every environment" />
      ) : envs.data.length === 0 ? (
        <Empty>No environment to price on yet: an admin adds them under Admin → Environments.</Empty>
      ) : (
        <>
          <p className="muted">All tiers in one environment, default parameter values.</p>
          <div className="cost-grid" data-testid="cost-grid">
            {priced?.map(({ env, plan: p, error }) => (
              <article key={env.name} className="card cost-card" data-environment={env.name}>
                <h3>{env.title || env.name}</h3>
                <p className="muted">
                  {env.provider} {env.region}{' '}
                  {env.simulated && <span className="badge badge-soft">simulated</span>}
                </p>
                {p ? (
                  <>
                    <p className="cost-total">
                      {money(p.total.monthly)} <span className="muted">/ month</span>
                    </p>
                    <p className="muted">{money(p.total.hourly)} / hour</p>
                    <ul className="plain">
                      {p.tiers.map((t) => (
                        <li key={t.tier}>
                          <strong>{t.tier}</strong> {t.count} × {t.instanceType.name} ·{' '}
                          {money(t.total.monthly)}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p className="field-error">Cannot plan here: {errorWithDetails(error)}</p>
                )}
              </article>
            ))}
          </div>
        </>
      )}
    </>
  );
}
