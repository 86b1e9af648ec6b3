import {
  patternInWords,
  type ParameterSpec,
  resolveParameters,
} from '@switchyard/blueprints/parameter-checks';

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

// Parts of identifiers that people write in capitals.
const ACRONYMS = new Set([
  'cidr',
  'ip',
  'ssh',
  'url',
  'db',
  'dns',
  'cpu',
  'cpus',
  'id',
  'api',
  'tls',
  'http',
  'vpc',
]);

/** A label made from an identifier: adminCidr → "Admin CIDR", dbPassword → "DB password". */
export function labelFromName(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  const [first = name, ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** What a person reads as the field's name: the blueprint's own label, else one made from the name. */
export function parameterLabel(name: string, spec: ParameterSpec): string {
  return spec.label ?? labelFromName(name);
}

// a format the library does not know is still never shown as its expression
function patternText(pattern: string, example: string | undefined): string {
  const words = patternInWords(pattern, example);
  if (words) return words;
  return example !== undefined ? `written like ${example}` : 'in the form the blueprint asks for';
}

/** The help under a parameter's field: its description, then its rules in words. */
export function parameterHint(spec: ParameterSpec): string {
  const example = spec.default !== undefined && spec.type !== 'secret' ? String(spec.default) : undefined;
  const range =
    spec.minimum !== undefined && spec.maximum !== undefined
      ? `from ${spec.minimum} to ${spec.maximum}`
      : spec.minimum !== undefined
        ? `at least ${spec.minimum}`
        : spec.maximum !== undefined
          ? `at most ${spec.maximum}`
          : '';
  const rules = [
    range,
    spec.pattern ? patternText(spec.pattern, example) : '',
    spec.type === 'cidr' ? `an IPv4 network such as ${example ?? '10.0.0.0/24'}` : '',
    example !== undefined && spec.type !== 'boolean' ? `${example} if left as it is` : '',
  ].filter(Boolean);
  const text = [spec.description, rules.join('; ')].filter(Boolean).join(' — ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
