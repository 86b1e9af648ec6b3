import { api, call } from '../api/client';
import type { BlueprintDocument, Environment, Page, ParameterSpec, Plan } from '../api/types';

export function loadDocument(name: string, version: string): Promise<BlueprintDocument> {
  return call<BlueprintDocument>(
    api.GET('/api/v1/blueprints/{name}/versions/{version}', {
      params: { path: { name, version } },
      headers: { Accept: 'application/json' },
    }),
  );
}

export function loadEnvironments(): Promise<Environment[]> {
  return call<Page<Environment>>(api.GET('/api/v1/environments', { params: { query: { limit: 500 } } })).then(
    (p) => p.items,
  );
}

export function plan(
  name: string,
  version: string,
  parameters: Record<string, unknown>,
  placement: { default: string; tiers?: Record<string, string> },
  signal?: AbortSignal,
): Promise<Plan> {
  return call<Plan>(
    api.POST('/api/v1/blueprints/{name}/versions/{version}/plan', {
      params: { path: { name, version } },
      body: { parameters, placement },
      signal,
    }),
  );
}

/** Values good enough to price a blueprint before anyone fills the form (required ones only). */
export function sampleParameters(specs: Record<string, ParameterSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default !== undefined || !spec.required) continue;
    out[name] =
      spec.type === 'integer' || spec.type === 'number'
        ? (spec.minimum ?? 1)
        : spec.type === 'boolean'
          ? false
          : spec.type === 'enum'
            ? spec.values?.[0]
            : spec.type === 'cidr'
              ? '10.0.0.0/8'
              : 'sample-value-for-pricing';
  }
  return out;
}
