import { nameIssue } from './names.util.js';

/** How a field travels in JSON. */
export type FieldType = 'string' | 'int' | 'strings';

/**
 * One Contiv field: its JSON type, default, and the rules it must satisfy. REST DTOs and CLI
 * flags are derived from these, so a rule is written once.
 */
export interface FieldSpec<V> {
  readonly type: FieldType;
  readonly doc: string;
  readonly default: V;
  /** Must be present and non-empty. */
  readonly required: boolean;
  /** Refused on update once the object exists (key fields are always immutable). */
  readonly immutable: boolean;
  /** Allowed values of a string field. */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Another object this field names (for lists: each item); must exist in the tenant. */
  readonly ref?: RefKind;
  /** Extra rule for a non-empty value (for lists: each item); answers the broken rule or undefined. */
  readonly check?: (value: string) => string | undefined;
}

/** Kinds an object can reference by name within its tenant. */
export type RefKind = 'network' | 'endpointGroup' | 'policy' | 'netprofile' | 'extContractsGroup';

interface Options {
  required?: boolean;
  immutable?: boolean;
  ref?: RefKind;
  check?: (value: string) => string | undefined;
}

/** A free string (checked by `check` when given). */
export function text(doc: string, opts: Options & { fallback?: string } = {}): FieldSpec<string> {
  return spec<string>('string', doc, opts.fallback ?? '', opts);
}

/** An object name (Contiv's label rules). */
export function name(doc: string, opts: Options = {}): FieldSpec<string> {
  return spec<string>('string', doc, '', { check: nameIssue, ...opts });
}

/** One of `values`; an absent value takes `fallback` ('' when the field is optional without default). */
export function choice<const V extends string>(
  values: readonly V[],
  doc: string,
  opts: Options & { fallback?: V } = {},
): FieldSpec<V | ''> {
  return { ...spec<V | ''>('string', doc, opts.fallback ?? '', opts), values };
}

export function integer(
  doc: string,
  min: number,
  max: number,
  opts: Options & { fallback?: number } = {},
): FieldSpec<number> {
  return { ...spec<number>('int', doc, opts.fallback ?? 0, opts), min, max };
}

/** A list of strings, each checked by `check` (or as a name when it references an object). */
export function list(doc: string, opts: Options = {}): FieldSpec<string[]> {
  return spec<string[]>('strings', doc, [], { ...(opts.ref ? { check: nameIssue } : {}), ...opts });
}

function spec<V>(type: FieldType, doc: string, fallback: V, opts: Options): FieldSpec<V> {
  return {
    type,
    doc,
    default: fallback,
    required: opts.required ?? false,
    immutable: opts.immutable ?? false,
    ...(opts.ref ? { ref: opts.ref } : {}),
    ...(opts.check ? { check: opts.check } : {}),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field type
export type AnyField = FieldSpec<any>;
export type Fields = Record<string, AnyField>;

/** The object a set of field specs describes. */
export type ObjectOf<F extends Fields> = { [K in keyof F]: F[K] extends FieldSpec<infer V> ? V : never };
