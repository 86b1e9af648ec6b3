import {
  FabricError,
  FabricErrorCode,
  type FieldIssue,
  isClusterKind,
  OBJECT_KINDS,
  OBJECT_SPECS,
  type ObjectKind,
  parseObjectKey,
} from '@switchyard/network-fabric';

/** Contiv's REST collections (`networks`, `policys`, …), derived from the object specs. */
export const CONTIV_COLLECTIONS: readonly string[] = OBJECT_KINDS.map((k) => OBJECT_SPECS[k].collection);

const KIND_BY_COLLECTION = new Map<string, ObjectKind>(
  OBJECT_KINDS.map((k) => [OBJECT_SPECS[k].collection, k]),
);

/** One object as a REST path names it. */
export interface ObjectRef {
  kind: ObjectKind;
  /** The Contiv key from the URL, e.g. `default:net1`. */
  key: string;
  /** The fabric tenant the object lives in (global and bgp: none, they are cluster-wide). */
  tenant: string;
  /** The key without the tenant (rules: `policy:ruleId`; tenant and global: ''). */
  name: string;
  /** The key fields with their values from the URL. */
  fields: Record<string, string>;
}

export function kindOfCollection(collection: string): ObjectKind {
  const kind = KIND_BY_COLLECTION.get(collection);
  if (!kind) {
    throw FabricError.notFound(
      `unknown collection "${collection}"; the collections are ${CONTIV_COLLECTIONS.join(', ')}`,
    );
  }
  return kind;
}

/** Parses the URL key of a kind; a key of the wrong shape is a 400 naming the expected shape. */
export function objectRef(collection: string, key: string): ObjectRef {
  const kind = kindOfCollection(collection);
  const keyFields = OBJECT_SPECS[kind].keyFields as readonly string[];
  const fields = parseObjectKey(kind, key);
  if (!fields) {
    throw FabricError.invalid([{ path: 'key', message: `must be ${keyFields.join(':')}, got "${key}"` }]);
  }
  const tenant = isClusterKind(kind) ? '' : (fields.tenantName ?? '');
  const name = keyFields
    .filter((f) => f !== 'tenantName')
    .map((f) => fields[f])
    .join(':');
  return { kind, key, tenant, name: kind === 'global' ? '' : name, fields };
}

/**
 * The key made from the body must be the URL's (Contiv's "key mismatch"). Only tenantName may be
 * left out (it is the URL's tenant); Contiv clients' own `key` field must match too.
 */
export function checkBodyKey(ref: ObjectRef, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return; // the library says why
  const record = body as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const [field, expected] of Object.entries(ref.fields)) {
    const given = record[field];
    if (field === 'tenantName' && ref.kind !== 'tenant' && (given === undefined || given === '')) continue;
    if (given !== expected) {
      issues.push({
        path: field,
        message: `must be ${JSON.stringify(expected)} to match the key "${ref.key}" in the URL`,
      });
    }
  }
  if (record.key !== undefined && record.key !== ref.key) {
    issues.push({ path: 'key', message: `must be "${ref.key}", the key in the URL` });
  }
  if (issues.length > 0) {
    throw new FabricError(
      FabricErrorCode.Invalid,
      `the key made from the body does not match the key "${ref.key}" in the URL`,
      { issues },
    );
  }
}

/** An object as Contiv answers it: its key first, then its fields in the spec's order. */
export function withKey<T extends object>(kind: ObjectKind, key: string, object: T): { key: string } & T {
  const record = object as Record<string, unknown>;
  const ordered = Object.keys(OBJECT_SPECS[kind].fields).map((f) => [f, record[f]]);
  return { key, ...Object.fromEntries(ordered), ...object };
}
