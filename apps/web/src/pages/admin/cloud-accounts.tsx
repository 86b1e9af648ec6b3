import { useState } from 'react';
import { api, call, errorText } from '../../api/client';
import type { CloudAccount, CloudAccountTest, Page } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm';
import { Async, Empty } from '../../components/states';
import { when } from '../../lib/format';
import { useAsync } from '../../lib/use-async';
import { useInlineEditor } from '../../lib/use-inline-editor';
import { AccountForm } from './account-form';
import { AccountOrphans } from './account-orphans';
import { credentialsShown, PROVIDERS, settingsShown } from './provider-fields';

export function CloudAccountsPage() {
  const list = useAsync(
    () => call<Page<CloudAccount>>(api.GET('/api/v1/cloud-accounts', { params: { query: { limit: 500 } } })),
    [],
  );
  const { editing, open, close, heading } = useInlineEditor<CloudAccount>();
  const [deleting, setDeleting] = useState<CloudAccount | null>(null);
  const [deleteError, setDeleteError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [tests, setTests] = useState<
    Record<string, { running: boolean; result?: CloudAccountTest; error?: string }>
  >({});

  const test = async (a: CloudAccount) => {
    setTests((t) => ({ ...t, [a.id]: { running: true } }));
    try {
      const result = await call<CloudAccountTest>(
        api.POST('/api/v1/cloud-accounts/{id}/test', { params: { path: { id: a.id } } }),
      );
      setTests((t) => ({ ...t, [a.id]: { running: false, result } }));
    } catch (err) {
      setTests((t) => ({ ...t, [a.id]: { running: false, error: errorText(err) } }));
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    setDeleteError(undefined);
    try {
      await call(api.DELETE('/api/v1/cloud-accounts/{id}', { params: { path: { id: deleting.id } } }));
      setDeleting(null);
      list.reload();
    } catch (err) {
      setDeleteError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Cloud accounts
        </h1>
        <button type="button" className="btn btn-primary" onClick={() => open('new')}>
          Add account
        </button>
      </div>
      {editing !== null && (
        <AccountForm
          key={editing === 'new' ? 'new' : editing.id}
          account={editing === 'new' ? undefined : editing}
          onCancel={close}
          onSaved={(saved) => {
            close();
            list.reload();
            setTests((t) => ({ ...t, [saved.id]: { running: false } }));
          }}
        />
      )}
      <Async state={list} what="Loading cloud accounts">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No cloud account yet. Add one to create environments on it.</Empty>
          ) : (
            <ul className="account-list" aria-label="Cloud accounts">
              {page.items.map((a) => {
                const t = tests[a.id];
                const shown = t?.result ?? a.lastTest ?? undefined;
                return (
                  <li key={a.id} className="card account" data-account={a.name}>
                    <div className="page-head">
                      <div>
                        <h2>
                          {a.name} <span className="badge">{PROVIDERS[a.provider].label}</span>{' '}
                          {a.simulated && <span className="badge badge-soft">simulated</span>}
                        </h2>
                        {a.description && <p>{a.description}</p>}
                      </div>
                      <div className="row">
                        <button
                          type="button"
                          className="btn"
                          onClick={() => void test(a)}
                          disabled={t?.running}
                        >
                          {t?.running ? 'Testing…' : 'Test connection'}
                        </button>
                        <button
                          type="button"
                          className="btn"
                          aria-label={`Edit ${a.name}`}
                          onClick={() => open(a)}
                        >
                          Edit
                        </button>
                        <button type="button" className="btn btn-danger" onClick={() => setDeleting(a)}>
                          Delete
                        </button>
                      </div>
                    </div>
                    <dl className="kv compact">
                      {[
                        ...settingsShown(a.provider, a.settings),
                        ...credentialsShown(a.provider, a.maskedCredentials),
                      ].map((row, i) => (
                        <div key={i} data-key={row.key}>
                          <dt>{row.label}</dt>
                          <dd>{row.value}</dd>
                        </div>
                      ))}
                    </dl>
                    <div aria-live="polite" className="test-result-slot">
                      {t?.error && (
                        <p className="test-result fail" role="alert">
                          Test could not run: {t.error}
                        </p>
                      )}
                      {shown && (
                        <p className={`test-result ${shown.ok ? 'ok' : 'fail'}`} data-testid="test-result">
                          <strong>{shown.ok ? 'Connected' : 'Connection failed'}</strong>: {shown.message}
                          {shown.cloudCode && <> ({shown.cloudCode})</>}{' '}
                          <span className="muted">
                            {shown.latencyMs} ms, {when(shown.at)}
                            {!t?.result && ' (last test)'}
                          </span>
                        </p>
                      )}
                    </div>
                    <AccountOrphans account={a} onChanged={list.reload} />
                  </li>
                );
              })}
            </ul>
          )
        }
      </Async>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? ''}?`}
        confirmLabel="Delete"
        danger
        busy={busy}
        onCancel={() => {
          setDeleting(null);
          setDeleteError(undefined);
        }}
        onConfirm={() => void remove()}
      >
        <p>Its sealed credentials are removed. Environments on it must go first.</p>
        {deleteError && (
          <p className="field-error" role="alert">
            {deleteError}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
