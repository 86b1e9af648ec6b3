import { useEffect, useState } from 'react';
import { errorWithDetails } from '../api/client';
import type { BlueprintDocument, Environment, Plan } from '../api/types';
import { loadEnvironments, plan, sampleParameters } from '../lib/blueprint-api';
import { cheapestEnvironment, cheapestMix, type PricedPlan } from '../lib/cost-compare';
import { cents, hourlyRate, sizeText } from '../lib/cost-format';
import { useAsync } from '../lib/use-async';
import { Empty, ErrorBox, Loading } from './states';

type Priced = { env: Environment; plan?: Plan; error?: unknown };
type Mixed = { placement: { default: string; tiers: Record<string, string> }; plan?: Plan; error?: unknown };

/**
 * The same blueprint planned once per environment, side by side, with default parameters; then,
 * if no single environment is cheapest for every tier, the placement with each tier where it costs least.
 */
export function CostComparison({
  name,
  version,
  doc,
}: {
  name: string;
  version: string;
  doc: BlueprintDocument;
}) {
  const envs = useAsync(loadEnvironments, []);
  const [priced, setPriced] = useState<Priced[]>();
  const [mixed, setMixed] = useState<Mixed>();
  useEffect(() => {
    if (!envs.data) return;
    const controller = new AbortController();
    const params = sampleParameters(doc.parameters ?? {});
    setPriced(undefined);
    setMixed(undefined);
    const price = (placement: { default: string; tiers?: Record<string, string> }) =>
      plan(name, version, params, placement, controller.signal);
    void (async () => {
      const all = await Promise.all(
        (envs.data ?? []).map((env) =>
          price({ default: env.name }).then(
            (p): Priced => ({ env, plan: p }),
            (error: unknown): Priced => ({ env, error }),
          ),
        ),
      );
      if (controller.signal.aborted) return;
      setPriced(all);
      const mix = cheapestMix(planned(all));
      if (!mix) return;
      const result = await price(mix).then(
        (p): Mixed => ({ placement: mix, plan: p }),
        (error: unknown): Mixed => ({ placement: mix, error }),
      );
      if (!controller.signal.aborted) setMixed(result);
    })();
    return () => controller.abort();
  }, [envs.data, name, version, doc]);

  const cheapest = priced && cheapestEnvironment(planned(priced));
  return (
    <>
      <h2>Cost per environment</h2>
      {envs.error ? (
        <ErrorBox error={envs.error} retry={envs.reload} />
      ) : !envs.data || (envs.data.length > 0 && !priced) ? (
        <Loading what="Pricing on every environment" />
      ) : envs.data.length === 0 ? (
        <Empty>No environment to price on yet: an admin adds them under Admin → Environments.</Empty>
      ) : (
        <>
          <p className="muted">
            Default parameter values; per month of 730 hours, compute and disks apart. Each card puts every
            tier in one environment; the last one puts each tier where it costs least.
          </p>
          <div className="cost-grid" data-testid="cost-grid">
            {priced?.map(({ env, plan: p, error }) => (
              <article
                key={env.name}
                className={env.name === cheapest ? 'card cost-card cost-cheapest' : 'card cost-card'}
                data-environment={env.name}
              >
                <h3>
                  {env.title || env.name}{' '}
                  {env.name === cheapest && <span className="badge badge-cheapest">Cheapest</span>}
                </h3>
                <p className="muted">
                  {env.provider} {env.region}{' '}
                  {env.simulated && <span className="badge badge-soft">simulated</span>}
                </p>
                {p ? (
                  <PlanCost plan={p} />
                ) : (
                  <p className="field-error">Cannot plan here: {errorWithDetails(error)}</p>
                )}
              </article>
            ))}
            {mixed && <MixedCard mixed={mixed} environments={envs.data} />}
          </div>
        </>
      )}
    </>
  );
}

function MixedCard({ mixed, environments }: { mixed: Mixed; environments: Environment[] }) {
  const title = (env: string) => environments.find((e) => e.name === env)?.title || env;
  return (
    <article className="card cost-card" data-mixed="true">
      <h3>Mixed placement</h3>
      <p className="muted">
        {Object.entries(mixed.placement.tiers)
          .map(([tier, env]) => `${tier} on ${title(env)}`)
          .join(', ')}
        ; the rest on {title(mixed.placement.default)}
      </p>
      {mixed.plan ? (
        <PlanCost plan={mixed.plan} environmentTitle={title} />
      ) : (
        <p className="field-error">This mix cannot be planned: {errorWithDetails(mixed.error)}</p>
      )}
    </article>
  );
}

/** A plan's cost; with `environmentTitle`, each tier says where it runs. */
function PlanCost({ plan: p, environmentTitle }: { plan: Plan; environmentTitle?: (env: string) => string }) {
  return (
    <>
      <p className="cost-total" data-testid="cost-monthly">
        {cents(p.total.monthly)} <span className="muted">/ month</span>
      </p>
      <p className="muted" data-testid="cost-hourly">
        {hourlyRate(p.total.hourly)} / hour
      </p>
      <dl className="cost-split">
        <dt>Compute</dt>
        <dd data-testid="cost-compute">{cents(p.monthly.compute)}</dd>
        <dt>Disk</dt>
        <dd data-testid="cost-disk">{cents(p.monthly.disk)}</dd>
      </dl>
      <ul className="plain cost-tiers">
        {p.tiers.map((t) => (
          <li key={t.tier} data-tier={t.tier}>
            <strong>{t.tier}</strong> {t.count} × {t.instanceType.name}{' '}
            <span className="cost-size">({sizeText(t.instanceType.cpu, t.instanceType.memoryMiB)})</span>
            {environmentTitle && <span className="muted"> on {environmentTitle(t.environment)}</span>} ·{' '}
            <span data-testid="tier-monthly">{cents(t.total.monthly)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

const planned = (all: Priced[]): PricedPlan[] =>
  all.flatMap(({ env, plan: p }) => (p ? [{ environment: env.name, plan: p }] : []));
