import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, call, errorText } from '../api/client';
import type { BlueprintDocument, DeploymentSummary, Environment, ParameterSpec, Plan } from '../api/types';
import { Field } from '../components/field';
import { ProblemList } from '../components/problem-list';
import { Async, Empty } from '../components/states';
import { loadDocument, loadEnvironments, plan, sampleParameters } from '../lib/blueprint-api';
import { fieldLabel } from '../lib/field-paths';
import { cents, hourlyRate } from '../lib/cost-format';
import {
  initialValues,
  parameterHint,
  parameterLabel,
  parameterProblems,
  toApiParameters,
  type FormValue,
} from '../lib/params';
import { useAsync, useDebounced } from '../lib/use-async';

export function OrderPage() {
  const { name = '', version = '' } = useParams();
  const state = useAsync(
    () => Promise.all([loadDocument(name, version), loadEnvironments()]),
    [name, version],
  );
  return (
    <section>
      <p className="crumbs">
        <Link to="/catalog">Catalog</Link> / <Link to={`/catalog/${encodeURIComponent(name)}`}>{name}</Link> /
        order
      </p>
      <h1>
        Order {name} <span className="muted">v{version}</span>
      </h1>
      <Async state={state} what="Loading the order form">
        {([doc, envs]) =>
          envs.length === 0 ? (
            <Empty>There is no environment to deploy to yet: ask an admin to add one.</Empty>
          ) : (
            <OrderForm name={name} version={version} doc={doc} envs={envs} />
          )
        }
      </Async>
    </section>
  );
}

interface Draft {
  deploymentName: string;
  /** Hours until the deployment is terminated; '' for no lease. */
  leaseHours: string;
  values: Record<string, FormValue>;
  defaultEnv: string;
  tierEnv: Record<string, string>;
}

function OrderForm({
  name,
  version,
  doc,
  envs,
}: {
  name: string;
  version: string;
  doc: BlueprintDocument;
  envs: Environment[];
}) {
  const navigate = useNavigate();
  const specs = useMemo(() => doc.parameters ?? {}, [doc]);
  const tiers = Object.keys(doc.tiers ?? {});
  const [draft, setDraft] = useState<Draft>(() => ({
    deploymentName: `${name}-${Math.random().toString(36).slice(2, 6)}`,
    leaseHours: '',
    values: initialValues(specs),
    defaultEnv: envs[0]?.name ?? '',
    tierEnv: {},
  }));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  // the server's word: from the order itself, and from the live plan as values change
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [planErrors, setPlanErrors] = useState<Record<string, string>>({});
  // the order's refusal; `standing` when editing the fields cannot answer it (no field named)
  const [refusal, setRefusal] = useState<{ text: string; standing: boolean }>();
  const [busy, setBusy] = useState(false);
  const formId = useId();

  const localErrors = useMemo(() => {
    const e: Record<string, string> = {};
    Object.assign(e, parameterProblems(specs, draft.values));
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(draft.deploymentName)) {
      e.name = 'lower-case letters, digits and dashes, 1–63 characters, not starting or ending with a dash';
    }
    // the server's bounds for leaseHours: a whole number of hours, up to a year
    if (draft.leaseHours !== '' && !/^\d+$/.test(draft.leaseHours.trim()))
      e.leaseHours = 'must be a whole number';
    else if (draft.leaseHours !== '' && (Number(draft.leaseHours) < 1 || Number(draft.leaseHours) > 8760)) {
      e.leaseHours = 'must be between 1 and 8760 hours';
    }
    return e;
  }, [specs, draft]);

  const errorFor = (path: string): { error?: string; errorSource?: 'server' | 'local' } => {
    const seen = touched[path] || submitted;
    const server = serverErrors[path] ?? (seen ? planErrors[path] : undefined);
    if (server) return { error: server, errorSource: 'server' };
    const local = seen ? localErrors[path] : undefined;
    return local ? { error: local, errorSource: 'local' } : {};
  };

  const update = (path: string, change: (d: Draft) => Draft) => {
    setDraft(change);
    setTouched((t) => ({ ...t, [path]: true }));
    setServerErrors(({ [path]: _gone, ...rest }) => rest);
    setPlanErrors(({ [path]: _gone, ...rest }) => rest);
  };

  const placement = useMemo(() => {
    const t = Object.fromEntries(Object.entries(draft.tierEnv).filter(([, v]) => v));
    return { default: draft.defaultEnv, ...(Object.keys(t).length ? { tiers: t } : {}) };
  }, [draft.defaultEnv, draft.tierEnv]);
  const parameters = useMemo(() => toApiParameters(specs, draft.values), [specs, draft.values]);

  // worked out on every change: gone as soon as the last marked field is fixed
  const fieldsToFix = submitted && Object.keys(localErrors).length > 0;
  const banner = fieldsToFix
    ? 'Fix the fields marked below first.'
    : refusal && (refusal.standing || Object.keys(serverErrors).length > 0)
      ? refusal.text
      : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setRefusal(undefined);
    if (Object.keys(localErrors).length) return;
    setBusy(true);
    try {
      const d = await call<DeploymentSummary>(
        api.POST('/api/v1/orders', {
          body: {
            blueprint: `${name}@${version}`,
            name: draft.deploymentName,
            parameters,
            placement,
            ...(draft.leaseHours !== '' ? { leaseHours: Number(draft.leaseHours) } : {}),
          },
          headers: { 'Idempotency-Key': `web-${draft.deploymentName}-${crypto.randomUUID()}` },
        }),
      );
      await navigate(`/deployments/${d.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        const byPath = err.fieldErrors();
        setServerErrors(byPath);
        const unplaced = Object.keys(byPath).filter((p) => !knownPath(p, specs, tiers));
        setRefusal(
          unplaced.length
            ? {
                text: `${err.message}: ${unplaced.map((p) => `${fieldLabel(p)} ${byPath[p]}`).join('; ')}`,
                standing: true,
              }
            : { text: err.message, standing: false },
        );
      } else setRefusal({ text: errorText(err), standing: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="order-layout">
      <form
        id={formId}
        className="card order-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-label="Order form"
      >
        {banner && (
          <div className="state state-error" role="alert">
            {banner}
          </div>
        )}
        <fieldset>
          <legend>Deployment</legend>
          <Field label="Name" name="name" {...errorFor('name')} hint="Names its networks and instances">
            {(p) => (
              <input
                {...p}
                name="name"
                value={draft.deploymentName}
                onChange={(e) => {
                  const v = e.target.value;
                  update('name', (d) => ({ ...d, deploymentName: v }));
                }}
              />
            )}
          </Field>
          <Field
            label="Lease (hours)"
            name="leaseHours"
            {...errorFor('leaseHours')}
            hint="Optional: the deployment is terminated this many hours after the order"
          >
            {(p) => (
              <input
                {...p}
                name="leaseHours"
                inputMode="numeric"
                placeholder="no lease"
                value={draft.leaseHours}
                onChange={(e) => {
                  const v = e.target.value;
                  update('leaseHours', (d) => ({ ...d, leaseHours: v }));
                }}
              />
            )}
          </Field>
        </fieldset>
        {Object.keys(specs).length > 0 && (
          <fieldset>
            <legend>Parameters</legend>
            {Object.entries(specs).map(([pname, spec]) => (
              <ParameterInput
                key={pname}
                name={pname}
                spec={spec}
                value={draft.values[pname] ?? ''}
                {...errorFor(`parameters.${pname}`)}
                onChange={(v) =>
                  update(`parameters.${pname}`, (d) => ({ ...d, values: { ...d.values, [pname]: v } }))
                }
              />
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend>Placement</legend>
          <Field label="Environment" name="placement.default" {...errorFor('placement.default')}>
            {(p) => (
              <select
                {...p}
                value={draft.defaultEnv}
                onChange={(e) => {
                  const v = e.target.value;
                  update('placement.default', (d) => ({ ...d, defaultEnv: v }));
                }}
              >
                {envs.map((env) => (
                  <option key={env.name} value={env.name}>
                    {env.title || env.name} ({env.provider})
                  </option>
                ))}
              </select>
            )}
          </Field>
          {tiers.map((tier) => (
            <Field
              key={tier}
              label={`Tier ${tier}`}
              name={`placement.tiers.${tier}`}
              {...errorFor(`placement.tiers.${tier}`)}
            >
              {(p) => (
                <select
                  {...p}
                  value={draft.tierEnv[tier] ?? ''}
                  onChange={(e) => {
                    const v = e.target.value;
                    update(`placement.tiers.${tier}`, (d) => ({
                      ...d,
                      tierEnv: { ...d.tierEnv, [tier]: v },
                    }));
                  }}
                >
                  <option value="">Same as the deployment</option>
                  {envs.map((env) => (
                    <option key={env.name} value={env.name}>
                      {env.title || env.name} ({env.provider})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ))}
        </fieldset>
      </form>
      <LiveEstimate
        name={name}
        version={version}
        parameters={parameters}
        placement={placement}
        specs={specs}
        onPlanned={setPlanErrors}
      />
      {/* after the estimate, so that on a phone the price is read before the button */}
      <div className="row end order-submit">
        <button type="submit" form={formId} className="btn btn-primary" disabled={busy}>
          {busy ? 'Ordering…' : 'Order'}
        </button>
      </div>
    </div>
  );
}

function knownPath(path: string, specs: Record<string, ParameterSpec>, tiers: string[]): boolean {
  if (path === 'name' || path === 'leaseHours' || path === 'placement.default') return true;
  if (path.startsWith('parameters.')) return path.slice(11) in specs;
  if (path.startsWith('placement.tiers.')) return tiers.includes(path.slice(16));
  return false;
}

function ParameterInput({
  name,
  spec,
  value,
  error,
  errorSource,
  onChange,
}: {
  name: string;
  spec: ParameterSpec;
  value: FormValue;
  error?: string;
  errorSource?: 'server' | 'local';
  onChange: (v: FormValue) => void;
}) {
  const hint = parameterHint(spec);
  const label = (
    <>
      {parameterLabel(name, spec)}
      {spec.required && spec.default === undefined && <span className="req"> *</span>}
    </>
  );
  return (
    <Field label={label} hint={hint} error={error} errorSource={errorSource} name={`parameters.${name}`}>
      {(p) =>
        spec.type === 'boolean' ? (
          <input
            {...p}
            name={name}
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
          />
        ) : spec.type === 'enum' ? (
          <select {...p} name={name} value={String(value)} onChange={(e) => onChange(e.target.value)}>
            {spec.default === undefined && <option value="">Choose…</option>}
            {(spec.values ?? []).map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        ) : (
          <input
            {...p}
            name={name}
            type={
              spec.type === 'secret'
                ? 'password'
                : spec.type === 'integer' || spec.type === 'number'
                  ? 'number'
                  : 'text'
            }
            autoComplete={spec.type === 'secret' ? 'new-password' : 'off'}
            inputMode={spec.type === 'integer' ? 'numeric' : spec.type === 'number' ? 'decimal' : undefined}
            step={spec.type === 'integer' ? 1 : spec.type === 'number' ? 'any' : undefined}
            min={spec.minimum}
            max={spec.maximum}
            required={spec.required && spec.default === undefined}
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/**
 * Plans the order as it stands, a moment after the last change, and shows the price. Required
 * values not given yet are priced with samples; the server's problems go back to their fields.
 */
function LiveEstimate({
  name,
  version,
  parameters,
  placement,
  specs,
  onPlanned,
}: {
  name: string;
  version: string;
  parameters: Record<string, unknown>;
  placement: { default: string; tiers?: Record<string, string> };
  specs: Record<string, ParameterSpec>;
  onPlanned: (errors: Record<string, string>) => void;
}) {
  const input = useDebounced(
    JSON.stringify({ parameters: { ...sampleParameters(specs), ...parameters }, placement }),
    400,
  );
  const [state, setState] = useState<{ plan?: Plan; error?: unknown; loading: boolean }>({ loading: true });
  const report = useRef(onPlanned);
  report.current = onPlanned;

  useEffect(() => {
    const req = JSON.parse(input) as { parameters: Record<string, unknown>; placement: typeof placement };
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    plan(name, version, req.parameters, req.placement, controller.signal).then(
      (p) => {
        setState({ plan: p, loading: false });
        report.current({});
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ error, loading: false });
        report.current(error instanceof ApiError ? error.fieldErrors() : {});
      },
    );
    return () => controller.abort();
  }, [input, name, version]);

  return (
    <aside className="card estimate" aria-live="polite" aria-label="Cost estimate">
      <h2>Estimate</h2>
      {state.loading && !state.plan && <p className="muted">Pricing…</p>}
      {state.error !== undefined && <ProblemList lead="Cannot price this order" error={state.error} />}
      {state.plan && (
        <div className={state.loading || state.error !== undefined ? 'stale' : ''}>
          <p className="cost-total" data-testid="estimate-monthly">
            {cents(state.plan.total.monthly)} <span className="muted">/ month</span>
          </p>
          <p className="muted">{hourlyRate(state.plan.total.hourly)} / hour</p>
          <ul className="plain">
            {state.plan.tiers.map((t) => (
              <li key={t.tier}>
                <strong>{t.tier}</strong> on {t.environment}: {t.count} × {t.instanceType.name} ·{' '}
                {cents(t.total.monthly)}/mo
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  );
}
