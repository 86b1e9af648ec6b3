import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, call, errorText } from '../api/client';
import type { Benchmark, Page } from '../api/types';
import { benchmarkRequest } from '../lib/benchmark-request';
import { when } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { Field } from './field';
import { Async, Empty } from './states';

/** The blueprint page's benchmarks: the recent ones, and a form to start one. */
export function BenchmarkSection({ name, version }: { name: string; version: string }) {
  const recent = useAsync(
    () =>
      call<Page<Benchmark>>(
        api.GET('/api/v1/benchmarks', { params: { query: { blueprint: name, limit: 10 } } }),
      ),
    [name],
  );
  return (
    <>
      <h2>Benchmarks</h2>
      <Async state={recent} what="Loading the benchmarks">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>Not benchmarked yet.</Empty>
          ) : (
            <ul className="bench-list" aria-label="Recent benchmarks">
              {page.items.map((b) => (
                <li key={b.id}>
                  <Link to={`/benchmarks/${b.id}`}>
                    {b.blueprint}, {b.candidates.length} candidates, {when(b.createdAt)}
                  </Link>{' '}
                  <span className={`state-pill s-${b.state}`}>{b.state}</span>
                  {b.ranking?.bestValue && (
                    <span className="muted"> best value: {b.ranking.bestValue.label}</span>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      <BenchmarkForm blueprint={`${name}@${version}`} />
    </>
  );
}

function BenchmarkForm({ blueprint }: { blueprint: string }) {
  const navigate = useNavigate();
  const [form, setForm] = useState({ candidates: '', parameters: '', runs: '5', p95Ms: '' });
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const problemAt = (prefix: string) =>
    problems
      .filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`))
      .map((p) => (p.path === prefix ? p.message : `${p.path}: ${p.message}`))
      .join('; ') || undefined;
  const submit = async () => {
    setError(undefined);
    const built = benchmarkRequest(blueprint, form);
    if ('problems' in built) return setProblems(built.problems);
    setProblems([]);
    setBusy(true);
    try {
      const b = await call<Benchmark>(api.POST('/api/v1/benchmarks', { body: built.request }));
      void navigate(`/benchmarks/${b.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.details.length) setProblems(err.details);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <form
      className="bench-form"
      aria-label="Run a benchmark"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>Run a benchmark of v{blueprint.split('@')[1]}</h3>
      <Field
        label="Candidates, one per line"
        name="candidates"
        hint="ENV, then per tier TIER=ENV (mixed placement) or TIER:TYPE (instance type): aws-us-east-1,db=vsphere-dc1"
        error={problemAt('candidates')}
      >
        {(p) => <textarea {...p} rows={3} value={form.candidates} onChange={set('candidates')} />}
      </Field>
      <Field label="Parameters, key=value per line" name="parameters" error={problemAt('parameters')}>
        {(p) => <textarea {...p} rows={2} value={form.parameters} onChange={set('parameters')} />}
      </Field>
      <Field label="Runs per candidate" name="runs" error={problemAt('runs')}>
        {(p) => <input {...p} inputMode="numeric" value={form.runs} onChange={set('runs')} />}
      </Field>
      <Field label="SLO: p95 latency at most (ms, optional)" name="slo.p95Ms" error={problemAt('slo')}>
        {(p) => <input {...p} inputMode="decimal" value={form.p95Ms} onChange={set('p95Ms')} />}
      </Field>
      {error && (
        <p className="state state-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Starting…' : 'Start the benchmark'}
      </button>
    </form>
  );
}
