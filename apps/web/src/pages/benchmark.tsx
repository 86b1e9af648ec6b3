import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, errorText } from '../api/client';
import type { Benchmark } from '../api/types';
import { CandidateBars, CostThroughputScatter } from '../components/benchmark-charts';
import { Async } from '../components/states';
import { interval, percent, whole } from '../lib/benchmark-format';
import { when } from '../lib/format';
import { useAsync } from '../lib/use-async';

const POLL_MS = 2_000;

export function BenchmarkPage() {
  const { id = '' } = useParams();
  const state = useAsync(
    () => call<Benchmark>(api.GET('/api/v1/benchmarks/{id}', { params: { path: { id } } })),
    [id],
  );
  // a running benchmark is read again every two seconds until it ends
  const { reload, data } = state;
  const running = data !== undefined && !data.endedAt;
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(reload, POLL_MS);
    return () => clearTimeout(t);
  }, [running, data, reload]);
  return (
    <section>
      <Async state={state} what="Loading the benchmark">
        {(b) => <BenchmarkView b={b} onChange={reload} />}
      </Async>
    </section>
  );
}

function BenchmarkView({ b, onChange }: { b: Benchmark; onChange: () => void }) {
  const [name] = b.blueprint.split('@');
  const [cancelError, setCancelError] = useState<string>();
  const cancel = async () => {
    try {
      await call(api.DELETE('/api/v1/benchmarks/{id}', { params: { path: { id: b.id } } }));
      onChange();
    } catch (err) {
      setCancelError(errorText(err));
    }
  };
  return (
    <>
      <p className="crumbs">
        <Link to="/catalog">Catalog</Link> /{' '}
        <Link to={`/catalog/${encodeURIComponent(name ?? '')}`}>{name}</Link> / benchmark
      </p>
      <div className="page-head">
        <div>
          <h1>
            Benchmark of {b.blueprint} <span className={`state-pill s-${b.state}`}>{b.state}</span>
          </h1>
          <p className="muted">
            {b.runs} runs per candidate · {b.load.method} {b.load.target}:{b.load.port}
            {b.load.path} with {b.load.concurrency} connections ·{' '}
            {b.load.durationSeconds ? `${b.load.durationSeconds} s` : `${whole(b.load.requests)} requests`}{' '}
            per run · started {when(b.createdAt)} by {b.requestedBy}
            {b.slo.p95Ms !== undefined && ` · SLO p95 ≤ ${b.slo.p95Ms} ms`}
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={`/api/v1/benchmarks/${b.id}/export?format=csv`}>
            CSV
          </a>
          <a className="btn" href={`/api/v1/benchmarks/${b.id}/export?format=json`}>
            JSON
          </a>
          <a className="btn" href={`/api/v1/benchmarks/${b.id}/samples`}>
            Samples (PerfKitBenchmarker)
          </a>
          {b.state === 'running' && (
            <button type="button" className="btn btn-danger" onClick={() => void cancel()}>
              Cancel
            </button>
          )}
        </div>
      </div>
      {cancelError && (
        <p className="state state-error" role="alert">
          {cancelError}
        </p>
      )}
      {b.leftBehind.length > 0 && (
        <div className="state state-error" role="alert">
          <p>Some candidate deployments could not be removed:</p>
          <ul>
            {b.leftBehind.map((l) => (
              <li key={l.deploymentId}>
                candidate {l.candidate + 1}: <Link to={`/deployments/${l.deploymentId}`}>deployment</Link> —{' '}
                {l.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {b.ranking && b.ranking.notes.length > 0 && (
        <ul className="bench-ranking" aria-label="Ranking">
          {b.ranking.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <h2>Candidates</h2>
      <CandidatesTable b={b} />
      <h2>Cost per hour against throughput</h2>
      <CostThroughputScatter benchmark={b} />
      <h2>Price/performance</h2>
      <CandidateBars benchmark={b} what="value" />
      <h2>Latency (p95){b.slo.p95Ms !== undefined ? ' and the SLO' : ''}</h2>
      <CandidateBars benchmark={b} what="latency" />
    </>
  );
}

function CandidatesTable({ b }: { b: Benchmark }) {
  return (
    <div className="table-wrap">
      <table className="bench-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Candidate</th>
            <th scope="col">State</th>
            <th scope="col">req/s (mean)</th>
            <th scope="col">95% CI</th>
            <th scope="col">median</th>
            <th scope="col">CV</th>
            <th scope="col">p50 / p95 / p99 ms</th>
            <th scope="col">errors</th>
            <th scope="col">cost/h</th>
            <th scope="col">cost/month</th>
            <th scope="col">req/s per $/h</th>
            <th scope="col">$ per M req</th>
            <th scope="col">SLO</th>
          </tr>
        </thead>
        <tbody>
          {b.candidates.map((c) => {
            const r = c.result;
            return (
              <tr key={c.position} data-candidate={c.position}>
                <td>{c.position + 1}</td>
                <td>
                  {c.label}
                  <div className="muted">
                    <Link to={`/deployments/${c.deploymentId}`}>deployment</Link>
                  </div>
                </td>
                <td>
                  <span className={`state-pill s-${c.state}`}>{c.state}</span>
                  {c.state === 'measuring' && (
                    <div className="muted">
                      run {Math.min(c.runsDone + 1, b.runs)} of {b.runs}
                    </div>
                  )}
                  {c.reason && c.state !== 'measured' && <div className="muted">{c.reason}</div>}
                </td>
                <td data-col="mean">{whole(r?.throughput.mean)}</td>
                <td data-col="ci">{interval(r?.throughput.interval)}</td>
                <td>{whole(r?.throughput.median)}</td>
                <td>{percent(r?.throughput.coefficientOfVariation)}</td>
                <td>{r ? `${r.latencyMs.p50} / ${r.latencyMs.p95} / ${r.latencyMs.p99}` : '—'}</td>
                <td>{percent(r?.errorRate, 2)}</td>
                <td data-col="hourly">
                  {c.cost.hourly.amount} {c.cost.hourly.currency}
                </td>
                <td>
                  {c.cost.monthly.amount} {c.cost.monthly.currency}
                </td>
                <td>{whole(r?.perDollarHour.mean)}</td>
                <td>{r ? r.perMillionRequests.toFixed(4) : '—'}</td>
                <td>{r?.sloMet == null ? '—' : r.sloMet ? 'met' : 'missed'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
