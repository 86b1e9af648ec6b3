import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import type { AuditEntry, Page } from '../../api/types';
import { Async, Empty, ErrorBox } from '../../components/states';
import { auditChange, type AuditChange } from '../../lib/audit-change';
import { when } from '../../lib/format';
import { labelFromName } from '../../lib/params';
import { useAsync } from '../../lib/use-async';

const TYPES = [
  'api-token',
  'cloud-account',
  'environment',
  'blueprint',
  'deployment',
  'tenant',
  'user',
  'self-check',
];

export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const resourceType = params.get('resourceType') ?? '';
  const resourceId = params.get('resourceId') ?? '';
  const [idText, setIdText] = useState(resourceId);
  const [more, setMore] = useState<{
    items: AuditEntry[];
    cursor: string | null;
    error?: unknown;
    loading: boolean;
  }>();

  const load = (cursor?: string) =>
    call<Page<AuditEntry>>(
      api.GET('/api/v1/audit-log', {
        params: {
          query: {
            limit: 50,
            cursor,
            resourceType: resourceType || undefined,
            resourceId: resourceId || undefined,
          },
        },
      }),
    );
  const first = useAsync(() => {
    setMore(undefined);
    return load();
  }, [resourceType, resourceId]);

  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  const loadMore = async (cursor: string) => {
    setMore((m) => ({ items: m?.items ?? [], cursor, loading: true }));
    try {
      const page = await load(cursor);
      setMore((m) => ({
        items: [...(m?.items ?? []), ...page.items],
        cursor: page.nextCursor,
        loading: false,
      }));
    } catch (error) {
      setMore((m) => ({ items: m?.items ?? [], cursor, error, loading: false }));
    }
  };

  return (
    <section>
      <h1>Audit log</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter('resourceId', idText.trim());
        }}
      >
        <label>
          <span>Resource type</span>
          <select value={resourceType} onChange={(e) => setFilter('resourceType', e.target.value)}>
            <option value="">Any</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Resource id</span>
          <input value={idText} onChange={(e) => setIdText(e.target.value)} placeholder="uuid or name" />
        </label>
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      <Async state={first} what="Loading the audit log">
        {(page) => {
          const items = [...page.items, ...(more?.items ?? [])];
          const cursor = more ? more.cursor : page.nextCursor;
          return items.length === 0 ? (
            <Empty>Nothing recorded{resourceType || resourceId ? ' for these filters' : ''}.</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table aria-label="Audit log">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col">Resource</th>
                      <th scope="col">Change</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((a) => (
                      <tr key={a.id}>
                        <td>{when(a.createdAt)}</td>
                        <td>{a.actor.name}</td>
                        <td>
                          <code>{a.action}</code>
                        </td>
                        <td title={`${a.resourceType} ${a.resourceId}`}>
                          <span className="muted small">{labelFromName(a.resourceType)}</span>{' '}
                          {a.resourceName ?? (a.resourceType === 'blueprint-version' ? a.resourceId : '')}
                        </td>
                        <td>
                          <ChangeText change={auditChange(a.before, a.after)} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {more?.error !== undefined && <ErrorBox error={more.error} />}
              {cursor && (
                <button
                  type="button"
                  className="btn"
                  disabled={more?.loading}
                  onClick={() => void loadMore(cursor)}
                >
                  {more?.loading ? 'Loading…' : 'Older entries'}
                </button>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

const CHANGE_KIND: Record<AuditChange['kind'], string> = {
  created: 'Created',
  removed: 'Removed',
  changed: 'Changed',
  none: '',
};

function ChangeText({ change }: { change: AuditChange }) {
  if (change.lines.length === 0)
    return <span className="muted">{change.kind === 'changed' ? 'no field changed' : '—'}</span>;
  return (
    <div className="audit-change">
      <span className="muted small">{CHANGE_KIND[change.kind]}</span>
      <ul className="plain small">
        {change.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
