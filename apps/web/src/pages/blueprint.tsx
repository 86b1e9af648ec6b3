import { Link, useParams, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import type { BlueprintDetail, BlueprintDocument } from '../api/types';
import { BenchmarkSection } from '../components/benchmark-section';
import { CostComparison } from '../components/cost-comparison';
import { ServiceUsage } from '../components/service-usage';
import { Async, Empty } from '../components/states';
import { TopologyDiagram } from '../components/topology';
import { loadDocument } from '../lib/blueprint-api';
import { when } from '../lib/format';
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
          {d.kind === 'Service' && <ServiceUsage doc={d} />}
          <h2>Topology</h2>
          <TopologyDiagram doc={d} />
          {d.kind === 'Blueprint' && (
            <>
              <h2>Parameters</h2>
              <ParametersTable doc={d} />
              <CostComparison name={name} version={version} doc={d} />
              <BenchmarkSection name={name} version={version} />
            </>
          )}
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
