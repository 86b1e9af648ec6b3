import { FabricError, type FieldIssue } from '../errors/fabric.exception.js';
import type { AnyField, Fields } from './field.util.js';
import { type FabricObjectMap, type ObjectKind, type ObjectSpec, OBJECT_SPECS } from './objects.model.js';

// Fields Contiv clients send along with the object, which carry nothing for us.
const TOLERATED = new Set(['key', 'link-sets', 'links']);

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

function specOf(kind: ObjectKind): ObjectSpec<Fields> {
  return OBJECT_SPECS[kind] as unknown as ObjectSpec<Fields>;
}

/**
 * Checks a JSON body against the object's field rules and its cross-field rules, reporting every
 * broken rule at once; on success answers the object with defaults applied, in canonical form.
 */
export function validateObject<K extends ObjectKind>(kind: K, body: unknown): Validated<FabricObjectMap[K]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  }
  const spec = specOf(kind);
  const input = body as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!(key in spec.fields) && !TOLERATED.has(key))
      issues.push({ path: key, message: 'is not a field of ' + kind });
  }
  const out: Record<string, unknown> = {};
  for (const [field, fieldSpec] of Object.entries(spec.fields)) {
    out[field] = readField(field, fieldSpec, input[field], issues);
  }
  const obj = out as never;
  issues.push(...(spec.check?.(obj) ?? []));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: (spec.normalize ? spec.normalize(obj) : obj) as FabricObjectMap[K] };
}

/** validateObject that throws FabricError INVALID with all issues. */
export function parseObject<K extends ObjectKind>(kind: K, body: unknown): FabricObjectMap[K] {
  const result = validateObject(kind, body);
  if (!result.ok) throw FabricError.invalid(result.issues, kind);
  return result.value;
}

function readField(path: string, spec: AnyField, raw: unknown, issues: FieldIssue[]): unknown {
  if (raw === undefined || raw === null) {
    if (spec.required) issues.push({ path, message: 'is required' });
    return spec.default;
  }
  switch (spec.type) {
    case 'string': {
      if (typeof raw !== 'string') return wrongType(path, 'a string', spec, issues);
      if (raw === '') {
        if (spec.required) issues.push({ path, message: 'is required' });
        return spec.default;
      }
      if (spec.values && !spec.values.includes(raw)) {
        issues.push({ path, message: `must be one of ${spec.values.join(', ')}` });
      } else {
        const problem = spec.check?.(raw);
        if (problem) issues.push({ path, message: problem });
      }
      return raw;
    }
    case 'int': {
      if (typeof raw !== 'number' || !Number.isInteger(raw))
        return wrongType(path, 'an integer', spec, issues);
      if (raw < (spec.min ?? 0) || raw > (spec.max ?? Number.MAX_SAFE_INTEGER)) {
        issues.push({ path, message: `must be within ${spec.min}..${spec.max}` });
      }
      return raw;
    }
    case 'strings': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
        return wrongType(path, 'a list of strings', spec, issues);
      }
      const items = raw as string[];
      items.forEach((item, i) => {
        const problem = spec.check?.(item);
        if (problem) issues.push({ path: `${path}[${i}]`, message: problem });
      });
      const dup = items.find((item, i) => items.indexOf(item) !== i);
      if (dup !== undefined) issues.push({ path, message: `lists "${dup}" twice` });
      return [...items];
    }
  }
}

function wrongType(path: string, what: string, spec: AnyField, issues: FieldIssue[]): unknown {
  issues.push({ path, message: `must be ${what}` });
  return spec.default;
}

/** The Contiv key made from an object's key fields, e.g. `default:net1`, `t1:pol:1`, `global`. */
export function objectKey<K extends ObjectKind>(kind: K, obj: FabricObjectMap[K]): string {
  const record = obj as Record<string, unknown>;
  return specOf(kind)
    .keyFields.map((f) => String(record[f]))
    .join(':');
}

/** Splits a Contiv key into its key fields; undefined when the number of parts is wrong. */
export function parseObjectKey(kind: ObjectKind, key: string): Record<string, string> | undefined {
  const fields = specOf(kind).keyFields;
  const parts = key.split(':');
  if (parts.length !== fields.length || parts.some((p) => p === '')) return undefined;
  return Object.fromEntries(fields.map((f, i) => [f, parts[i] ?? '']));
}

/** The object's name inside its tenant: the key without the tenant (rules: `policy:ruleId`). */
export function nameInTenant<K extends ObjectKind>(kind: K, obj: FabricObjectMap[K]): string {
  const record = obj as Record<string, unknown>;
  return specOf(kind)
    .keyFields.filter((f) => f !== 'tenantName')
    .map((f) => String(record[f]))
    .join(':');
}

/** Issues for every immutable field an update would change. */
export function immutableChanges<K extends ObjectKind>(
  kind: K,
  before: FabricObjectMap[K],
  after: FabricObjectMap[K],
): FieldIssue[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return Object.entries(specOf(kind).fields)
    .filter(([f, s]) => s.immutable && JSON.stringify(a[f]) !== JSON.stringify(b[f]))
    .map(([f]) => ({
      path: f,
      message: `cannot be changed once the ${kind} exists (is ${JSON.stringify(a[f])})`,
    }));
}

/** Field-by-field equality in declaration order (stored JSON may order keys differently). */
export function sameObject<K extends ObjectKind>(
  kind: K,
  x: FabricObjectMap[K],
  y: FabricObjectMap[K],
): boolean {
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  return Object.keys(specOf(kind).fields).every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f]));
}

/** Reference fields of a kind: field → referenced kind (lists reference each item). */
export function referenceFields(kind: ObjectKind): { field: string; ref: string; list: boolean }[] {
  return Object.entries(specOf(kind).fields).flatMap(([field, s]) =>
    s.ref ? [{ field, ref: s.ref, list: s.type === 'strings' }] : [],
  );
}

export function specFor(kind: ObjectKind): ObjectSpec<Fields> {
  return specOf(kind);
}
