import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call, errorText } from '../../api/client';
import type { CloudAccount, Environment, Page, Provider } from '../../api/types';
import type { ErrorFor } from '../../components/cell-input';
import { Field } from '../../components/field';
import { ErrorBox } from '../../components/states';
import {
  ADDRESS_POOL,
  checkEnvironment,
  PLACEMENT_FIELDS,
  toCommonBody,
  toEnvironmentDraft,
  type EnvironmentDraft,
} from '../../lib/environment-draft';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';
import { ImagesEditor } from './images-editor';
import { PriceListEditor } from './price-list-editor';

/** Create or edit an environment: every box named by its API path, problems shown beside it. */
export function EnvironmentForm({
  env,
  onSaved,
  onCancel,
}: {
  env?: Environment;
  onSaved: (saved: Environment) => void;
  onCancel: () => void;
}) {
  const { me } = useSession();
  const accounts = useAsync(
    () => call<Page<CloudAccount>>(api.GET('/api/v1/cloud-accounts', { params: { query: { limit: 500 } } })),
    [],
  );
  const [d, setD] = useState<EnvironmentDraft>(() => toEnvironmentDraft(env));
  const [shippedAws, setShippedAws] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submits, setSubmits] = useState(0);
  const submitted = submits > 0;
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [jsonProblem, setJsonProblem] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const [focusProblem, setFocusProblem] = useState(0);

  const provider: Provider | undefined =
    (env?.provider as Provider | undefined) ?? accounts.data?.items.find((a) => a.id === d.account)?.provider;
  const sendPrices = !(shippedAws && provider === 'aws-ec2' && !env);
  const localErrors = useMemo(() => {
    const all = checkEnvironment(d, !env);
    if (!sendPrices) for (const k of Object.keys(all)) if (k.startsWith('priceList')) delete all[k];
    if (jsonProblem && sendPrices) all['priceList.json'] = jsonProblem;
    return all;
  }, [d, env, sendPrices, jsonProblem]);

  // open: the keyboard starts in the form; a refused submit: at the first problem
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])')?.focus();
  }, []);
  useEffect(() => {
    if (focusProblem) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusProblem]);

  const errorFor: ErrorFor = (path) => {
    const server = serverErrors[path];
    if (server) return { error: server, errorSource: 'server' };
    const local = touched[path] || submitted ? localErrors[path] : undefined;
    return local ? { error: local, errorSource: 'local' } : {};
  };

  const update = (path: string, next: EnvironmentDraft) => {
    setD(next);
    setTouched((t) => ({ ...t, [path]: true }));
    setServerErrors((errs) => {
      // rows moved: the server's row numbers no longer hold
      const shifted = path === 'images' || path === 'priceList.instanceTypes' || path === 'priceList';
      return Object.fromEntries(
        Object.entries(errs).filter(([k]) => k !== path && !(shifted && k.startsWith(path))),
      );
    });
  };
  const set = (path: string, change: Partial<EnvironmentDraft>) => update(path, { ...d, ...change });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmits((n) => n + 1);
    setFormError(undefined);
    if (Object.keys(localErrors).length) {
      setFormError('Fix the fields marked below first.');
      setFocusProblem((n) => n + 1);
      return;
    }
    setBusy(true);
    setServerErrors({});
    try {
      const { priceList, ...common } = toCommonBody(d);
      const body = {
        ...common,
        ...(sendPrices ? { priceList } : {}),
        // only admins may share; an operator's form does not send it at all
        ...(me?.role === 'admin' ? { shared: d.shared } : {}),
      };
      const saved = env
        ? await call<Environment>(
            api.PATCH('/api/v1/environments/{name}', { params: { path: { name: env.name } }, body }),
          )
        : await call<Environment>(
            api.POST('/api/v1/environments', { body: { ...body, name: d.name.trim(), account: d.account } }),
          );
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        const byPath = err.fieldErrors();
        setServerErrors(byPath);
        const unplaced = err.details.filter((x) => !shown(x.path, d));
        setFormError(
          unplaced.length
            ? `${err.message}: ${unplaced.map((x) => `${x.path} ${x.message}`).join('; ')}`
            : `${err.message}: see the fields marked below.`,
        );
        setFocusProblem((n) => n + 1);
      } else setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const placementFields = [...(provider ? PLACEMENT_FIELDS[provider] : []), ADDRESS_POOL];
  const known = new Set(placementFields.map((f) => f.key));
  const otherPlacement = Object.keys(d.placement).filter((k) => !known.has(k));
  const title = env ? `Edit ${env.name}` : 'Create an environment';

  return (
    <form
      ref={form}
      className="card env-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={env ? 'Edit environment' : 'Create environment'}
    >
      <h2>{title}</h2>
      {formError && (
        <div className="state state-error" role="alert">
          {formError}
        </div>
      )}
      <div className="grid2">
        <Field
          label="Name"
          name="name"
          hint="Lower-case, typed by people: aws-eu-west-1"
          {...errorFor('name')}
        >
          {(p) => (
            <input
              {...p}
              value={d.name}
              autoComplete="off"
              onChange={(e) => set('name', { name: e.target.value })}
              disabled={!!env}
            />
          )}
        </Field>
        <Field label="Title" name="title" hint="What people see: AWS Ireland" {...errorFor('title')}>
          {(p) => <input {...p} value={d.title} onChange={(e) => set('title', { title: e.target.value })} />}
        </Field>
        <Field label="Cloud account" name="account" {...errorFor('account')}>
          {(p) => (
            <select
              {...p}
              value={d.account}
              onChange={(e) => set('account', { account: e.target.value })}
              disabled={!!env}
            >
              <option value="">{accounts.loading && !accounts.data ? 'Loading accounts…' : 'Choose…'}</option>
              {env && <option value={env.account.id}>{env.account.name}</option>}
              {!env &&
                accounts.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.provider})
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="Region" name="region" hint="Default: the account's region" {...errorFor('region')}>
          {(p) => (
            <input {...p} value={d.region} onChange={(e) => set('region', { region: e.target.value })} />
          )}
        </Field>
        {me?.role === 'admin' && (
          <Field label="Shared with every tenant" name="shared" {...errorFor('shared')}>
            {(p) => (
              <input
                {...p}
                type="checkbox"
                checked={d.shared}
                onChange={(e) => set('shared', { shared: e.target.checked })}
              />
            )}
          </Field>
        )}
      </div>
      {!env && accounts.error !== undefined && <ErrorBox error={accounts.error} retry={accounts.reload} />}
      {!env && accounts.data?.items.length === 0 && (
        <p className="state state-empty">
          No cloud account yet: <Link to="/admin/cloud-accounts">add one</Link> first.
        </p>
      )}
      <fieldset data-field="placement">
        <legend>Placement{provider ? ` on ${provider}` : ''}</legend>
        {errorFor('placement').error && <p className="field-error">{errorFor('placement').error}</p>}
        {!provider && <p className="muted">Choose a cloud account to see its placement fields.</p>}
        <div className="grid3">
          {placementFields.map((f) => (
            <Field
              key={f.key}
              label={f.label}
              hint={f.hint}
              name={`placement.${f.key}`}
              {...errorFor(`placement.${f.key}`)}
            >
              {(p) => (
                <input
                  {...p}
                  value={d.placement[f.key] ?? ''}
                  onChange={(e) =>
                    set(`placement.${f.key}`, { placement: { ...d.placement, [f.key]: e.target.value } })
                  }
                />
              )}
            </Field>
          ))}
        </div>
        {otherPlacement.length > 0 && (
          <p className="muted small">
            Also kept: {otherPlacement.map((k) => `${k} ${d.placement[k]}`).join(', ')}
          </p>
        )}
      </fieldset>
      <ImagesEditor rows={d.images} errorFor={errorFor} onChange={(path, images) => set(path, { images })} />
      {!env && provider === 'aws-ec2' && (
        <label className="check">
          <input type="checkbox" checked={shippedAws} onChange={(e) => setShippedAws(e.target.checked)} /> Use
          the shipped AWS price table of the region instead
        </label>
      )}
      {sendPrices && (
        <PriceListEditor
          draft={d.priceList}
          errorFor={errorFor}
          onJsonProblem={setJsonProblem}
          submits={submits}
          onChange={(path, priceList) => set(path, { priceList })}
        />
      )}
      <div className="row end">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : env ? 'Save' : 'Create'}
        </button>
      </div>
    </form>
  );
}

/** Whether the form shows a problem at this path next to a box (else it goes in the summary). */
function shown(path: string, d: EnvironmentDraft): boolean {
  if (['name', 'title', 'account', 'region', 'shared', 'placement', 'images', 'priceList'].includes(path)) {
    return true;
  }
  if (path.startsWith('placement.') || path.startsWith('priceList.')) return true;
  const m = /^images\.(\d+)(\.(os|version|imageId))?$/.exec(path);
  return !!m && Number(m[1]) < d.images.length;
}
