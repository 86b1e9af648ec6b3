import { useState, type FormEvent } from 'react';
import { api, ApiError, call, errorText } from '../../api/client';
import type { BlueprintSummary, CloudAccount, Environment, Page } from '../../api/types';
import { Field } from '../../components/field';
import { Async, Empty } from '../../components/states';
import { loadDocument, loadEnvironments, plan, sampleParameters } from '../../lib/blueprint-api';
import { money } from '../../lib/format';
import { useAsync } from '../../lib/use-async';

const EXAMPLE_IMAGES = '[{ "os": "ubuntu", "version": "22.04", "imageId": "ami-0123" }]';
const EXAMPLE_PRICES =
  '{\n  "currency": "USD",\n  "source": "rate card",\n  "date": "2026-01-01",\n  "instanceTypes": [\n    { "name": "small", "cpu": 1, "memoryMiB": 2048, "hourlyPrice": "0.01" }\n  ]\n}';

export function EnvironmentsPage() {
  const envs = useAsync(loadEnvironments, []);
  const [editing, setEditing] = useState<Environment | 'new' | null>(null);
  return (
    <section>
      <div className="page-head">
        <h1>Environments and price lists</h1>
        {editing === null && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            Create environment
          </button>
        )}
      </div>
      {editing !== null && (
        <EnvironmentForm
          env={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            envs.reload();
          }}
        />
      )}
      <Async state={envs} what="Loading environments">
        {(items) =>
          items.length === 0 ? (
            <Empty>No environment yet: create one on a cloud account.</Empty>
          ) : (
            <ul className="account-list" aria-label="Environments">
              {items.map((e) => (
                <li key={e.name} className="card">
                  <div className="page-head">
                    <div>
                      <h2>
                        {e.title || e.name} <span className="muted">{e.name}</span>
                      </h2>
                      <p className="muted">
                        {e.provider} · {e.region} · account {e.account.name}
                        {e.shared && ' · shared'}
                        {e.simulated && ' · simulated'}
                      </p>
                    </div>
                    <button type="button" className="btn" onClick={() => setEditing(e)}>
                      Edit
                    </button>
                  </div>
                  <p>
                    Prices: {e.priceList.currency}
                    {e.priceList.source && `, ${e.priceList.source}`}
                    {e.priceList.date && ` (${e.priceList.date})`} · {e.priceList.instanceTypes?.length ?? 0}{' '}
                    instance types
                    {e.priceList.rateCard && ' · rate card'} · {e.images.length} images
                  </p>
                  <PlannableBlueprints env={e.name} />
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

/** Which blueprints can be planned here (every tier in this environment, default values). */
function PlannableBlueprints({ env }: { env: string }) {
  const [result, setResult] = useState<{ name: string; ok: boolean; note: string }[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await call<Page<BlueprintSummary>>(
        api.GET('/api/v1/blueprints', { params: { query: { limit: 500, kind: 'Blueprint' } } }),
      );
      const rows = await Promise.all(
        page.items
          .filter((b) => b.latestVersion)
          .map(async (b) => {
            const v = b.latestVersion ?? '';
            try {
              const doc = await loadDocument(b.name, v);
              const p = await plan(b.name, v, sampleParameters(doc.parameters ?? {}), { default: env });
              return { name: `${b.name}@${v}`, ok: true, note: `${money(p.total.monthly)}/month` };
            } catch (err) {
              return { name: `${b.name}@${v}`, ok: false, note: errorText(err) };
            }
          }),
      );
      setResult(rows);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" className="btn btn-small" onClick={() => void check()} disabled={busy}>
        {busy ? 'Planning every blueprint…' : 'Which blueprints can plan here?'}
      </button>
      {error && <p className="field-error">{error}</p>}
      {result &&
        (result.length === 0 ? (
          <p className="muted">No published blueprint.</p>
        ) : (
          <ul className="plain">
            {result.map((r) => (
              <li key={r.name}>
                <span className={r.ok ? 'ok-text' : 'fail-text'}>{r.ok ? '✓' : '✗'}</span> {r.name}:{' '}
                <span className="muted">{r.note}</span>
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

function EnvironmentForm({
  env,
  onSaved,
  onCancel,
}: {
  env?: Environment;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const accounts = useAsync(
    () => call<Page<CloudAccount>>(api.GET('/api/v1/cloud-accounts', { params: { query: { limit: 500 } } })),
    [],
  );
  const [v, setV] = useState({
    name: env?.name ?? '',
    title: env?.title ?? '',
    account: env?.account.id ?? '',
    region: env?.region ?? '',
    shared: env?.shared ?? false,
    placement: JSON.stringify(env?.placement ?? {}, null, 2),
    images: env ? JSON.stringify(env.images, null, 2) : EXAMPLE_IMAGES,
    priceList: env ? JSON.stringify(env.priceList, null, 2) : EXAMPLE_PRICES,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) =>
    setV({ ...v, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    const parse = (k: 'placement' | 'images' | 'priceList') => {
      try {
        return JSON.parse(v[k]) as unknown;
      } catch {
        local[k] = 'is not valid JSON';
        return undefined;
      }
    };
    const placement = parse('placement') as Record<string, unknown>;
    const images = parse('images') as { os: string; version: string; imageId: string }[];
    const priceList = parse('priceList') as { currency: string };
    if (!env && !v.name.trim()) local.name = 'is required';
    if (!env && !v.account) local.account = 'choose an account';
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const common = {
        title: v.title,
        region: v.region || undefined,
        shared: v.shared,
        placement,
        images,
        priceList,
      };
      if (env) {
        await call(
          api.PATCH('/api/v1/environments/{name}', { params: { path: { name: env.name } }, body: common }),
        );
      } else {
        await call(
          api.POST('/api/v1/environments', { body: { ...common, name: v.name.trim(), account: v.account } }),
        );
      }
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) {
        // nested paths (priceList.instanceTypes.0.cpu) go to their JSON box
        const byField: Record<string, string> = {};
        for (const d of err.details) {
          const top = d.path.split('.')[0] ?? d.path;
          const msg = top === d.path ? d.message : `${d.path.slice(top.length + 1)} ${d.message}`;
          byField[top] = byField[top] ? `${byField[top]}; ${msg}` : msg;
        }
        setErrors(byField);
        setFormError(err.message);
      } else setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={env ? 'Edit environment' : 'Create environment'}
    >
      <h2>{env ? `Edit ${env.name}` : 'Create an environment'}</h2>
      {formError && (
        <div className="state state-error" role="alert">
          {formError}
        </div>
      )}
      <div className="grid2">
        <Field label="Name" name="name" error={errors.name} hint="Lower-case, typed by people: aws-eu-west-1">
          {(p) => <input {...p} value={v.name} onChange={set('name')} disabled={!!env} />}
        </Field>
        <Field label="Title" name="title" error={errors.title}>
          {(p) => <input {...p} value={v.title} onChange={set('title')} />}
        </Field>
        <Field label="Cloud account" name="account" error={errors.account}>
          {(p) => (
            <select {...p} value={v.account} onChange={set('account')} disabled={!!env}>
              <option value="">{accounts.loading ? 'Loading…' : 'Choose…'}</option>
              {accounts.data?.items.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.provider})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Region" name="region" error={errors.region} hint="Default: the account's region">
          {(p) => <input {...p} value={v.region} onChange={set('region')} />}
        </Field>
        <Field label="Shared with every tenant (admins)" name="shared" error={errors.shared}>
          {(p) => (
            <input
              {...p}
              type="checkbox"
              checked={v.shared}
              onChange={(e) => setV({ ...v, shared: e.target.checked })}
            />
          )}
        </Field>
      </div>
      <Field
        label="Placement (JSON)"
        name="placement"
        error={errors.placement}
        hint="aws-ec2: vpcId, subnetId, availabilityZone; openstack: externalNetwork; vsphere: datacenter, cluster, folder, datastore, switchName"
      >
        {(p) => <textarea {...p} rows={3} className="mono" value={v.placement} onChange={set('placement')} />}
      </Field>
      <Field label="Images (JSON)" name="images" error={errors.images}>
        {(p) => <textarea {...p} rows={4} className="mono" value={v.images} onChange={set('images')} />}
      </Field>
      <Field
        label="Price list (JSON)"
        name="priceList"
        error={errors.priceList}
        hint="instanceTypes with hourlyPrice, or a rateCard for private clouds"
      >
        {(p) => <textarea {...p} rows={8} className="mono" value={v.priceList} onChange={set('priceList')} />}
      </Field>
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
