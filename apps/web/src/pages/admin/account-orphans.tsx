import { useState } from 'react';
import { api, call, errorText } from '../../api/client';
import type { CloudAccount, CloudOrphan, Page } from '../../api/types';
import { Async, Empty } from '../../components/states';
import { when } from '../../lib/format';
import { useAsync } from '../../lib/use-async';

/**
 * What the reconciler found on an account that no deployment owns, and whether it may remove
 * such instances by itself. Loaded when opened: a sweep listing is not free.
 */
export function AccountOrphans({ account, onChanged }: { account: CloudAccount; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  // shown at once, put back if the server refuses
  const [removing, setRemoving] = useState(account.removeOrphans);

  const toggle = async (removeOrphans: boolean) => {
    setSaving(true);
    setError(undefined);
    setRemoving(removeOrphans);
    try {
      await call(
        api.PATCH('/api/v1/cloud-accounts/{id}', {
          params: { path: { id: account.id } },
          body: { removeOrphans },
        }),
      );
      onChanged();
    } catch (err) {
      setRemoving(!removeOrphans);
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <details className="orphans" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Orphaned instances</summary>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={removing}
          disabled={saving}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />{' '}
        Remove orphans automatically (otherwise they are only listed here)
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {open && <OrphanTable accountId={account.id} />}
    </details>
  );
}

function OrphanTable({ accountId }: { accountId: string }) {
  const list = useAsync(
    () =>
      call<Page<CloudOrphan>>(
        api.GET('/api/v1/cloud-accounts/{id}/orphans', {
          params: { path: { id: accountId }, query: { limit: 200 } },
        }),
      ),
    [accountId],
  );
  return (
    <Async state={list} what="Loading orphans">
      {(page) =>
        page.items.length === 0 ? (
          <Empty>No orphan: every instance tagged as Switchyard&apos;s belongs to a deployment.</Empty>
        ) : (
          <div className="table-wrap">
            <table aria-label="Orphaned instances">
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Environment</th>
                  <th scope="col">State</th>
                  <th scope="col">Why</th>
                  <th scope="col">First seen</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <code>{o.resourceId}</code>
                      {o.name && o.name !== o.resourceId && <div className="muted">{o.name}</div>}
                    </td>
                    <td>{o.environment}</td>
                    <td>{o.state}</td>
                    <td>{o.reason}</td>
                    <td>{when(o.firstSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Async>
  );
}
