import { joinPath, type Problem } from '../problem.types.js';
import type { JsonSchema, JsonType } from './json-schema.types.js';

interface Outcome {
  // false when the value itself is unacceptable and was dropped
  ok: boolean;
  pruned: unknown;
}

const DROPPED: Outcome = { ok: false, pruned: undefined };

export interface SchemaCheckResult {
  problems: Problem[];
  // The value with every invalid part removed, so later checks can rely on types.
  pruned: unknown;
}

/** Checks a value against a schema in the supported subset; returns problems and the value with invalid parts removed. */
export function checkAgainstSchema(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema = schema,
): SchemaCheckResult {
  const problems: Problem[] = [];
  const outcome = check(value, schema, '', { root, problems });
  return { problems, pruned: outcome.pruned };
}

interface State {
  root: JsonSchema;
  problems: Problem[];
}

function check(value: unknown, schema: JsonSchema, path: string, st: State): Outcome {
  // An empty schema accepts anything; not descending keeps recursion bounded by the schema.
  if (Object.keys(schema).length === 0) return { ok: true, pruned: value };
  if (schema.$ref !== undefined) return check(value, resolveRef(schema.$ref, st.root), path, st);
  if (schema.anyOf !== undefined) return checkAnyOf(value, schema, path, st);
  if (schema.type !== undefined && !matchesType(value, schema.type)) {
    st.problems.push({ path, message: typeMessage(value, schema.type) });
    return DROPPED;
  }
  if (schema.if !== undefined) {
    // Conditional parts only report; pruning follows the main schema.
    const branch = passes(value, schema.if, st.root) ? schema.then : schema.else;
    if (branch !== undefined) check(value, branch, path, st);
  }
  if (schema.const !== undefined && value !== schema.const) {
    st.problems.push({ path, message: `must be "${schema.const}"` });
    return DROPPED;
  }
  if (schema.enum !== undefined && !schema.enum.some((v) => v === value)) {
    st.problems.push({ path, message: `must be one of: ${schema.enum.join(', ')}` });
    return DROPPED;
  }
  if (typeof value === 'string') return checkString(value, schema, path, st);
  if (typeof value === 'number') return checkNumber(value, schema, path, st);
  if (Array.isArray(value)) return checkArray(value, schema, path, st);
  if (isRecord(value)) return checkObject(value, schema, path, st);
  return { ok: true, pruned: value };
}

function checkAnyOf(value: unknown, schema: JsonSchema, path: string, st: State): Outcome {
  const branches = schema.anyOf ?? [];
  const typed: JsonSchema[] = [];
  for (const branch of branches) {
    const target = branch.$ref !== undefined ? resolveRef(branch.$ref, st.root) : branch;
    const scratch: State = { root: st.root, problems: [] };
    const outcome = check(value, target, path, scratch);
    if (outcome.ok && scratch.problems.length === 0) return outcome;
    if (target.type === undefined || matchesType(value, target.type)) typed.push(target);
  }
  // One branch of the right type: its own, more precise, complaint is the useful one.
  const only = typed.length === 1 ? typed[0] : undefined;
  if (only !== undefined) return check(value, only, path, st);
  const names = branches.map((b) => describeSchema(b, st.root));
  st.problems.push({ path, message: `must be ${names.join(' or ')}` });
  return DROPPED;
}

function checkString(value: string, schema: JsonSchema, path: string, st: State): Outcome {
  let message: string | undefined;
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    message =
      schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`;
  } else if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    message = `must be at most ${schema.maxLength} characters`;
  } else if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    message = schema.title !== undefined ? `must be ${schema.title}` : `must match ${schema.pattern}`;
  }
  if (message === undefined) return { ok: true, pruned: value };
  st.problems.push({ path, message });
  return DROPPED;
}

function checkNumber(value: number, schema: JsonSchema, path: string, st: State): Outcome {
  let message: string | undefined;
  if (schema.minimum !== undefined && value < schema.minimum) message = `must be at least ${schema.minimum}`;
  else if (schema.maximum !== undefined && value > schema.maximum)
    message = `must be at most ${schema.maximum}`;
  if (message === undefined) return { ok: true, pruned: value };
  st.problems.push({ path, message });
  return DROPPED;
}

function checkArray(value: unknown[], schema: JsonSchema, path: string, st: State): Outcome {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    st.problems.push({ path, message: `must have at most ${schema.maxItems} items` });
    return DROPPED;
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    st.problems.push({ path, message: `must have at least ${schema.minItems} item(s)` });
  }
  const seen = new Map<string, number>();
  const pruned = value.map((item, index) => {
    const itemPath = joinPath(path, index);
    const outcome = schema.items !== undefined ? check(item, schema.items, itemPath, st) : { pruned: item };
    if (schema.uniqueItems === true) {
      const key = JSON.stringify(item);
      const first = seen.get(key);
      if (first !== undefined) {
        st.problems.push({ path: itemPath, message: `duplicates item ${first}` });
        return undefined;
      }
      seen.set(key, index);
    }
    return outcome.pruned;
  });
  return { ok: true, pruned };
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema, path: string, st: State): Outcome {
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    st.problems.push({ path, message: `must have at most ${schema.maxProperties} entries` });
    return DROPPED;
  }
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
    st.problems.push({ path, message: `must have at least ${schema.minProperties} entry` });
  }
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) st.problems.push({ path: joinPath(path, name), message: 'is required' });
  }
  const pruned: Record<string, unknown> = {};
  const known = schema.properties ?? {};
  for (const key of keys) {
    const keyPath = joinPath(path, key);
    const propertySchema = Object.hasOwn(known, key) ? known[key] : undefined;
    let target: JsonSchema | undefined = propertySchema;
    if (target === undefined) {
      if (schema.propertyNames !== undefined && !checkName(key, schema.propertyNames, keyPath, st)) continue;
      const extra = schema.additionalProperties;
      if (extra === false) {
        const expected = Object.keys(known).join(', ');
        st.problems.push({ path: keyPath, message: `unknown field "${key}" (expected one of: ${expected})` });
        continue;
      }
      target = extra === true || extra === undefined ? {} : extra;
    }
    const outcome = check(value[key], target, keyPath, st);
    if (outcome.ok || outcome.pruned !== undefined) setOwn(pruned, key, outcome.pruned);
  }
  return { ok: true, pruned };
}

function checkName(key: string, schema: JsonSchema, path: string, st: State): boolean {
  const scratch: State = { root: st.root, problems: [] };
  const outcome = check(key, schema, path, scratch);
  for (const problem of scratch.problems) st.problems.push({ path, message: `name ${problem.message}` });
  return outcome.ok;
}

function passes(value: unknown, schema: JsonSchema, root: JsonSchema): boolean {
  const scratch: State = { root, problems: [] };
  return check(value, schema, '', scratch).ok && scratch.problems.length === 0;
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const name = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
  const target = name !== undefined && root.$defs !== undefined ? root.$defs[name] : undefined;
  // A dangling $ref is a defect of the schema itself, not of the document.
  if (target === undefined) throw new Error(`Schema reference ${ref} does not resolve`);
  return target;
}

function describeSchema(schema: JsonSchema, root: JsonSchema): string {
  const target = schema.$ref !== undefined ? resolveRef(schema.$ref, root) : schema;
  if (target.title !== undefined) return target.title;
  const types =
    target.type === undefined ? [] : typeof target.type === 'string' ? [target.type] : target.type;
  return types.map(typeName).join(' or ') || 'a valid value';
}

function matchesType(value: unknown, type: JsonType | readonly JsonType[]): boolean {
  const types: readonly JsonType[] = typeof type === 'string' ? [type] : type;
  return types.some((t) => {
    switch (t) {
      case 'object':
        return isRecord(value);
      case 'array':
        return Array.isArray(value);
      case 'string':
        return typeof value === 'string';
      case 'integer':
        return Number.isSafeInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
    }
  });
}

function typeMessage(value: unknown, type: JsonType | readonly JsonType[]): string {
  const types: readonly JsonType[] = typeof type === 'string' ? [type] : type;
  const expected = types.map(typeName).join(' or ');
  const hint = types.includes('string') && typeof value === 'number' ? ' (put it in quotes)' : '';
  return `must be ${expected}, not ${valueName(value)}${hint}`;
}

function typeName(type: JsonType): string {
  const names: Record<JsonType, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[type];
}

function valueName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? 'a string' : `${String(value)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty: a key named __proto__ must stay a plain own property.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
