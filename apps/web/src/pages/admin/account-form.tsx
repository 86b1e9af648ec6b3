import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, call, errorText } from '../../api/client';
import type { CloudAccount, Provider } from '../../api/types';
import { Field } from '../../components/field';
import {
  credentialsFrom,
  missingFields,
  PROVIDERS,
  settingsFrom,
  settingsToForm,
  type FieldSpec,
  type FormValues,
} from './provider-fields';

/** Add or edit an account. Credentials are write-only: on edit they are replaced only if typed. */
export function AccountForm({
  account,
  onSaved,
  onCancel,
}: {
  account?: CloudAccount;
  onSaved: (a: CloudAccount) => void;
  onCancel: () => void;
}) {
  const editing = account !== undefined;
  const [provider, setProvider] = useState<Provider>(account?.provider ?? 'aws-ec2');
  const [name, setName] = useState(account?.name ?? '');
  const [description, setDescription] = useState(account?.description ?? '');
  const [simulated, setSimulated] = useState(account?.simulated ?? false);
  const [settings, setSettings] = useState<FormValues>(() => settingsToForm(account?.settings ?? {}));
  const [variant, setVariant] = useState(() =>
    account?.provider === 'openstack' &&
    (account.maskedCredentials as { kind?: string }).kind === 'application-credential'
      ? 1
      : 0,
  );
  const [creds, setCreds] = useState<FormValues>({});
  const [replaceCreds, setReplaceCreds] = useState(!editing);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const spec = PROVIDERS[provider];
  const form = useRef<HTMLFormElement>(null);
  // open: the keyboard starts in the form
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])')?.focus();
  }, []);
  const masked = (account?.maskedCredentials ?? {}) as Record<string, unknown>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = missingFields(provider, variant, settings, replaceCreds ? creds : null);
    if (!name.trim()) local.name = 'is required';
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length) {
      setFormError('Fill the fields marked below.');
      return;
    }
    setBusy(true);
    try {
      const body = {
        name: name.trim(),
        description,
        simulated,
        settings: settingsFrom(provider, settings),
        ...(replaceCreds ? { credentials: credentialsFrom(provider, variant, creds) } : {}),
      };
      let saved: CloudAccount;
      if (account) {
        // settings are merged server-side: send null for the fields emptied here
        const cleared = Object.fromEntries(
          Object.keys(account.settings)
            .filter((k) => !(k in body.settings))
            .map((k) => [k, null]),
        );
        saved = await call<CloudAccount>(
          api.PATCH('/api/v1/cloud-accounts/{id}', {
            params: { path: { id: account.id } },
            body: { ...body, settings: { ...cleared, ...body.settings } },
          }),
        );
      } else {
        saved = await call<CloudAccount>(
          api.POST('/api/v1/cloud-accounts', {
            body: { ...body, provider, credentials: credentialsFrom(provider, variant, creds) },
          }),
        );
      }
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        const known = new Set(['name', 'description', ...fieldPaths(provider, variant)]);
        const other = err.details.filter((d) => !known.has(d.path));
        setFormError(
          other.length
            ? `${err.message}: ${other.map((d) => `${d.path} ${d.message}`).join('; ')}`
            : err.message,
        );
      } else setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const input = (
    f: FieldSpec,
    values: FormValues,
    set: (v: FormValues) => void,
    path: string,
    maskedValue?: string,
  ) => (
    <Field
      key={path}
      label={
        <>
          {f.label}
          {f.required && <span className="req"> *</span>}
        </>
      }
      hint={maskedValue ? `Now ${maskedValue}; write-only` : f.hint}
      error={errors[path]}
      errorSource={errors[path] ? 'server' : undefined}
      name={path}
    >
      {(p) =>
        f.kind === 'checkbox' ? (
          <input
            {...p}
            type="checkbox"
            checked={values[f.key] === true}
            onChange={(e) => set({ ...values, [f.key]: e.target.checked })}
          />
        ) : f.kind === 'textarea' ? (
          <textarea
            {...p}
            rows={4}
            value={String(values[f.key] ?? '')}
            onChange={(e) => set({ ...values, [f.key]: e.target.value })}
          />
        ) : (
          <input
            {...p}
            name={path}
            type={f.kind === 'secret' ? 'password' : 'text'}
            autoComplete={f.kind === 'secret' ? 'new-password' : 'off'}
            placeholder={f.kind === 'secret' && editing ? '********' : f.placeholder}
            value={String(values[f.key] ?? '')}
            onChange={(e) => set({ ...values, [f.key]: e.target.value })}
          />
        )
      }
    </Field>
  );

  return (
    <form
      ref={form}
      className="card account-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={editing ? 'Edit account' : 'Add account'}
    >
      <h2>{editing ? `Edit ${account.name}` : 'Add a cloud account'}</h2>
      {formError && (
        <div className="state state-error" role="alert">
          {formError}
        </div>
      )}
      <div className="grid2">
        <Field label="Provider" name="provider" error={errors.provider}>
          {(p) => (
            <select
              {...p}
              value={provider}
              disabled={editing}
              onChange={(e) => {
                setProvider(e.target.value as Provider);
                setSettings({});
                setCreds({});
                setVariant(0);
              }}
            >
              {(Object.keys(PROVIDERS) as Provider[]).map((k) => (
                <option key={k} value={k}>
                  {PROVIDERS[k].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={
            <>
              Name<span className="req"> *</span>
            </>
          }
          name="name"
          error={errors.name}
        >
          {(p) => <input {...p} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description" name="description" error={errors.description}>
          {(p) => (
            <input
              {...p}
              name="description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <Field label="A simulator (moto, vcsim)" name="simulated">
          {(p) => (
            <input
              {...p}
              type="checkbox"
              checked={simulated}
              onChange={(e) => setSimulated(e.target.checked)}
            />
          )}
        </Field>
      </div>
      <fieldset>
        <legend>{spec.label} settings</legend>
        <div className="grid2">
          {spec.settings.map((f) => input(f, settings, setSettings, `settings.${f.key}`))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Credentials (write-only)</legend>
        {editing && (
          <label className="check">
            <input
              type="checkbox"
              checked={replaceCreds}
              onChange={(e) => setReplaceCreds(e.target.checked)}
            />{' '}
            Replace the stored credentials
          </label>
        )}
        {spec.credentials.length > 1 && replaceCreds && (
          <div className="row" role="radiogroup" aria-label="Credential kind">
            {spec.credentials.map((c, i) => (
              <label key={c.label} className="check">
                <input
                  type="radio"
                  name="credential-kind"
                  checked={variant === i}
                  onChange={() => setVariant(i)}
                />{' '}
                {c.label}
              </label>
            ))}
          </div>
        )}
        {replaceCreds ? (
          <div className="grid2">
            {(spec.credentials[variant]?.fields ?? []).map((f) =>
              input(
                f,
                creds,
                setCreds,
                `credentials.${f.key}`,
                masked[f.key] ? String(masked[f.key]) : undefined,
              ),
            )}
          </div>
        ) : (
          <p className="muted">
            Stored:{' '}
            {Object.entries(masked)
              .map(([k, v]) => `${k} ${String(v)}`)
              .join(', ') || 'none'}
          </p>
        )}
      </fieldset>
      <div className="row end">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save' : 'Add account'}
        </button>
      </div>
    </form>
  );
}

function fieldPaths(provider: Provider, variant: number): string[] {
  const spec = PROVIDERS[provider];
  return [
    ...spec.settings.map((f) => `settings.${f.key}`),
    ...(spec.credentials[variant]?.fields ?? []).map((f) => `credentials.${f.key}`),
  ];
}
