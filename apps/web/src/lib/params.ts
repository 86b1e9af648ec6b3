import type { ParameterSpec } from '../api/types';

// The same checks the server makes (libs/blueprints parameter-value.util), run while typing, so
// most mistakes show before submit; the server's answer still wins and is shown the same way.
const MAX_STRING_VALUE = 4096;
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

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

export function checkParameter(spec: ParameterSpec, formValue: FormValue): string | undefined {
  const value = toApiValue(spec, formValue);
  if (value === undefined) {
    return spec.required && spec.default === undefined ? 'is required' : undefined;
  }
  switch (spec.type) {
    case 'string':
    case 'secret':
      if (typeof value !== 'string') return 'must be a string';
      if (value.length > MAX_STRING_VALUE) return `must be at most ${MAX_STRING_VALUE} characters`;
      return checkPattern(spec, value);
    case 'integer':
      if (!Number.isSafeInteger(value)) return 'must be an integer';
      return checkRange(spec, value as number);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      return checkRange(spec, value);
    case 'boolean':
      return undefined;
    case 'enum': {
      const values = spec.values ?? [];
      return typeof value === 'string' && values.includes(value)
        ? undefined
        : `must be one of: ${values.join(', ')}`;
    }
    case 'cidr':
      return typeof value === 'string' ? checkCidr(value) : 'must be a CIDR string like 10.0.0.0/8';
    default:
      return undefined;
  }
}

export function checkAll(
  specs: Record<string, ParameterSpec>,
  values: Record<string, FormValue>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const problem = checkParameter(spec, values[name] ?? '');
    if (problem) out[name] = problem;
  }
  return out;
}

function checkRange(spec: ParameterSpec, value: number): string | undefined {
  if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}`;
  if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}`;
  return undefined;
}

function checkPattern(spec: ParameterSpec, value: string): string | undefined {
  if (spec.pattern === undefined || NESTED_QUANTIFIER.test(spec.pattern)) return undefined;
  let regex: RegExp;
  try {
    regex = new RegExp(spec.pattern, 'u');
  } catch {
    return undefined;
  }
  return regex.test(value) ? undefined : `must match ${spec.pattern}`;
}

function checkCidr(value: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value.trim());
  if (m) {
    const octets = m.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return 'must be a CIDR string like 10.0.0.0/8';
    if (Number(m[5]) > 32) return 'has a prefix length over 32';
    return undefined;
  }
  // IPv6 is left to the server
  return value.includes(':') && value.includes('/') ? undefined : 'must be a CIDR string like 10.0.0.0/8';
}
