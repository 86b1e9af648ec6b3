import { useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { SelfCheck } from '../../api/types';
import { Empty, ErrorBox, Loading } from '../../components/states';
import { when } from '../../lib/format';

// The API keeps every self-check but lists none: this browser remembers the last one it ran.
const LAST_KEY = 'switchyard.selfCheck';

export function SelfCheckPage() {
  const [id, setId] = useState(() => localStorage.getItem(LAST_KEY));
  const [check, setCheck] = useState<SelfCheck>();
  const [error, setError] = useState<unknown>();
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!id) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const c = await call<SelfCheck>(
          api.GET('/api/v1/admin/self-check/{id}', { params: { path: { id } } }),
        );
        if (stop) return;
        setCheck(c);
        setError(undefined);
        if (c.status === 'queued') timer = setTimeout(() => void poll(), 1000);
      } catch (err) {
        if (!stop) setError(err);
      }
    };
    void poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [id]);

  const run = async () => {
    setStarting(true);
    setError(undefined);
    try {
      const c = await call<SelfCheck>(api.POST('/api/v1/admin/self-check'));
      localStorage.setItem(LAST_KEY, c.id);
      setCheck(c);
      setId(c.id);
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  };

  // the worker stores a list of checks (postgres, redis, queues), not a map
  const checks = check?.result?.checks ?? [];
  return (
    <section>
      <div className="page-head">
        <h1>Self-check</h1>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void run()}
          disabled={starting || check?.status === 'queued'}
        >
          {starting || check?.status === 'queued' ? 'Checking…' : 'Run self-check'}
        </button>
      </div>
      <p className="muted">A worker checks Postgres and its migrations, Redis, and the queues.</p>
      {error !== undefined && <ErrorBox error={error} />}
      {!id && !error && <Empty>No self-check run from this browser yet.</Empty>}
      {id && !check && !error && <Loading what="Loading the last result" />}
      {check && (
        <div className="card">
          <h2>
            Last result: <span className={`state-pill s-${check.status}`}>{check.status}</span>
          </h2>
          <p className="muted">
            Asked {when(check.createdAt)}
            {check.completedAt && `, done ${when(check.completedAt)}`}
            {check.workerId && ` by ${check.workerId}`}
            {check.result && check.result.worker.attempt > 1 && ` (delivery ${check.result.worker.attempt})`}
          </p>
          {check.status === 'queued' ? (
            <Loading what="Waiting for a worker" />
          ) : checks.length === 0 ? (
            <Empty>The worker reported no checks.</Empty>
          ) : (
            <div className="table-wrap">
              <table aria-label="Checks">
                <thead>
                  <tr>
                    <th scope="col">Check</th>
                    <th scope="col">Status</th>
                    <th scope="col">Latency</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {checks.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>
                        <span className={`state-pill s-${c.status}`}>{c.status}</span>
                      </td>
                      <td>{`${c.latencyMs} ms`}</td>
                      <td>
                        <p>{c.message}</p>
                        <pre className="mono small">{JSON.stringify(c.details, null, 2)}</pre>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
