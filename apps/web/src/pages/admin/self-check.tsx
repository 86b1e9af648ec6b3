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

  const result = (check?.result ?? {}) as Record<
    string,
    { status?: string; latencyMs?: number; details?: unknown }
  >;
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
          </p>
          {check.status === 'queued' ? (
            <Loading what="Waiting for a worker" />
          ) : Object.keys(result).length === 0 ? (
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
                  {Object.entries(result).map(([k, r]) => (
                    <tr key={k}>
                      <td>{k}</td>
                      <td>
                        <span className={`state-pill s-${r.status ?? 'unknown'}`}>{r.status ?? '?'}</span>
                      </td>
                      <td>{r.latencyMs !== undefined ? `${r.latencyMs} ms` : '—'}</td>
                      <td>
                        <pre className="mono small">
                          {typeof r.details === 'string' ? r.details : JSON.stringify(r.details, null, 2)}
                        </pre>
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
