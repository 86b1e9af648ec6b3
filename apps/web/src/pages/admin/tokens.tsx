import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, call, errorText } from '../../api/client';
import type { CreatedToken, Page, Role, TokenRow } from '../../api/types';
import { ConfirmDialog } from '../../components/confirm';
import { Field } from '../../components/field';
import { Async, Empty } from '../../components/states';
import { when } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';

const ROLES: Role[] = ['member', 'operator', 'admin'];

export function TokensPage() {
  const { me } = useSession();
  const list = useAsync(
    () => call<Page<TokenRow>>(api.GET('/api/v1/tokens', { params: { query: { limit: 500 } } })),
    [],
  );
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [created, setCreated] = useState<CreatedToken>();
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const [revokeError, setRevokeError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const allowed = ROLES.slice(0, ROLES.indexOf(me?.role ?? 'member') + 1);
  const createdBox = useRef<HTMLHeadingElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  // a new token: the keyboard goes to it, since it is shown this once
  useEffect(() => {
    if (created) createdBox.current?.focus();
  }, [created]);
  // a revoked token's button goes away: the keyboard waits at the list instead. This effect runs
  // after the dialog's own (which hands the focus back to that button) in the same commit.
  const [focusList, setFocusList] = useState(false);
  useEffect(() => {
    if (!focusList) return;
    listHeading.current?.focus();
    setFocusList(false);
  }, [focusList]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'is required';
    if (days && !(Number.isInteger(Number(days)) && Number(days) >= 1 && Number(days) <= 3650)) {
      local.expiresInDays = 'must be a whole number of days from 1 to 3650';
    }
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const t = await call<CreatedToken>(
        api.POST('/api/v1/tokens', {
          body: { name: name.trim(), role, ...(days ? { expiresInDays: Number(days) } : {}) },
        }),
      );
      setCreated(t);
      setNotice(undefined);
      setCopied(false);
      setName('');
      list.reload();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setRevokeError(undefined);
    try {
      await call(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: revoking.id } } }));
      setNotice(`Token ${revoking.name} revoked.`);
      setRevoking(null);
      setFocusList(true);
      list.reload();
    } catch (err) {
      setRevokeError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>API tokens</h1>
      <form className="card" onSubmit={(e) => void create(e)} noValidate aria-label="Create a token">
        <h2>Create a token</h2>
        {formError && (
          <div className="state state-error" role="alert">
            {formError}
          </div>
        )}
        <div className="grid3">
          <Field label="Name" name="name" error={errors.name} hint="What uses it: ci-pipeline">
            {(p) => (
              <input
                {...p}
                ref={nameInput}
                name="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field label="Role" name="role" error={errors.role}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {allowed.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Expires in days"
            name="expiresInDays"
            error={errors.expiresInDays}
            hint="Empty: never"
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={3650}
                value={days}
                onChange={(e) => setDays(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="row end">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Create token
          </button>
        </div>
      </form>
      {created && (
        <div className="card new-token" role="status" data-testid="new-token">
          <h2 ref={createdBox} tabIndex={-1}>
            Token {created.name} created
          </h2>
          <p>
            Copy it now: <strong>it is shown this once</strong> and stored only as a hash.
          </p>
          <div className="row">
            <code className="token-value" data-testid="token-value">
              {created.token}
            </code>
            <button
              type="button"
              className="btn btn-small"
              onClick={() =>
                void navigator.clipboard?.writeText(created.token).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setCreated(undefined);
                nameInput.current?.focus();
              }}
            >
              Done
            </button>
          </div>
        </div>
      )}
      <h2 ref={listHeading} tabIndex={-1}>
        Tokens
      </h2>
      <p className="muted">
        API tokens, and the sign-in sessions a password sign-in issues: those expire on their own, and
        revoking one signs that browser out.
      </p>
      <p role="status" className={notice ? 'notice' : 'sr-only'}>
        {notice}
      </p>
      <Async state={list} what="Loading tokens">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No tokens.</Empty>
          ) : (
            <div className="table-wrap">
              <table aria-label="Tokens">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Starts with</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="sr-only">Revoke</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((t) => (
                    <tr key={t.id} data-token={t.name}>
                      <td>{t.name}</td>
                      <td data-testid="token-kind">
                        {t.kind === 'session' ? (
                          <span className="badge badge-soft">sign-in session</span>
                        ) : (
                          'API token'
                        )}
                      </td>
                      <td>
                        <code>{t.hint}…</code>
                      </td>
                      <td>{t.role}</td>
                      <td>{when(t.createdAt)}</td>
                      <td>{when(t.lastUsedAt)}</td>
                      <td>{expiry(t)}</td>
                      <td>
                        {t.revokedAt ? (
                          <span className="muted">revoked {when(t.revokedAt)}</span>
                        ) : t.id === me?.tokenId ? (
                          <span className="muted">this session</span>
                        ) : (
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            aria-label={`Revoke ${t.name}`}
                            onClick={() => setRevoking(t)}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke"
        danger
        busy={busy}
        onCancel={() => {
          setRevoking(null);
          setRevokeError(undefined);
        }}
        onConfirm={() => void revoke()}
      >
        <p>Whatever uses it stops working at once.</p>
        {revokeError && (
          <p className="field-error" role="alert">
            {revokeError}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

/** When it stops working: a session always ends (SESSION_TTL_HOURS after sign-in); said once past. */
function expiry(t: TokenRow): string {
  if (!t.expiresAt) return 'never';
  return !t.revokedAt && Date.parse(t.expiresAt) <= Date.now()
    ? `expired ${when(t.expiresAt)}`
    : when(t.expiresAt);
}
