import { type ParameterSpec, resolveParameters } from '@switchyard/blueprints/parameter-checks';

/** What the form holds: text for every input, booleans for checkboxes. */
export type FormValue = string | boolean;

export function initialValues(specs: Record<string, ParameterSpec>): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.type === 'boolean') out[name] = spec.default === true;
    else out[name] = spec.default === undefined ? '' : String(spec.default);
  }
  return out;
}

/** Converts a form value to what the API takes; undefined leaves it to the blueprint's default. */
export function toApiValue(spec: ParameterSpec, value: FormValue): unknown {
  if (spec.type === 'boolean') return value === true;
  const text = String(value);
  if (text === '') return undefined;
  if (spec.type === 'integer' || spec.type === 'number') {
    const n = Number(text.trim());
    return text.trim() === '' || Number.isNaN(n) ? text : n;
  }
  return text;
}

export function toApiParameters(
  specs: Record<string, ParameterSpec>,
  values: Record<string, FormValue>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const v = toApiValue(spec, values[name] ?? '');
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * The API's own checks of the values (libs/blueprints), run while typing so that most mistakes
 * show before submit; keyed by `parameters.NAME`, the paths of the API's answer, which still wins.
 */
export function parameterProblems(
  specs: Record<string, ParameterSpec>,
  values: Record<string, FormValue>,
): Record<string, string> {
  const { problems } = resolveParameters({ parameters: specs }, toApiParameters(specs, values));
  return Object.fromEntries(problems.map((p) => [p.path, p.message]));
}
