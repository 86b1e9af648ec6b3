import { FabricError, type FieldIssue } from '@switchyard/network-fabric';

/**
 * Checks that a plugin body is an object whose named fields, when present, have the JSON types
 * Contiv gives them (the library checks what the values mean). Other fields pass untouched;
 * null in an optional field is taken as leaving it out (Go clients send null for unset pointers).
 */
export function pluginBody<T>(
  body: unknown,
  fields: {
    required?: readonly string[];
    optional?: readonly string[];
    /** Nested objects and the string fields read from them. */
    objects?: Readonly<Record<string, readonly string[]>>;
  },
): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw FabricError.invalid([{ path: '', message: 'must be a JSON object' }]);
  }
  const record = body as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const field of fields.required ?? []) {
    if (typeof record[field] !== 'string' || record[field] === '')
      issues.push({ path: field, message: 'is required (a non-empty string)' });
  }
  for (const field of fields.optional ?? []) {
    const value = record[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      issues.push({ path: field, message: 'must be a string' });
  }
  for (const [field, inner] of Object.entries(fields.objects ?? {})) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ path: field, message: 'must be an object' });
      continue;
    }
    for (const name of inner) {
      const v = (value as Record<string, unknown>)[name];
      if (v !== undefined && v !== null && typeof v !== 'string')
        issues.push({ path: `${field}.${name}`, message: 'must be a string' });
    }
  }
  if (issues.length > 0) throw FabricError.invalid(issues);
  const present = withoutNulls(record, fields.optional ?? []);
  for (const [field, inner] of Object.entries(fields.objects ?? {})) {
    const value = present[field];
    if (value === null) delete present[field];
    else if (value !== undefined) present[field] = withoutNulls(value as Record<string, unknown>, inner);
  }
  return present as T;
}

function withoutNulls(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const copy = { ...record };
  for (const field of fields) if (copy[field] === null) delete copy[field];
  return copy;
}

/** The tenant a NetworkID (`network.tenant`, `network:group.tenant`) names: after the last dot. */
export function tenantOfNetworkId(id: string): string {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? '' : id.slice(dot + 1);
}

/**
 * Splits a NetworkID `network.tenant` or `network:group.tenant`; the tenant is given (names may hold
 * dots, so the suffix is matched rather than split at a dot).
 */
export function parseNetworkId(id: string, tenant: string): { network: string; group?: string } {
  const suffix = `.${tenant}`;
  if (typeof id !== 'string' || !id.endsWith(suffix) || id.length === suffix.length) {
    const message = `"${id}" is not network.${tenant} or network:group.${tenant}`;
    throw FabricError.invalid([{ path: 'NetworkID', message }]);
  }
  const [network = '', group, ...rest] = id.slice(0, -suffix.length).split(':');
  if (rest.length > 0 || network === '' || group === '') {
    throw FabricError.invalid([
      { path: 'NetworkID', message: `"${id}" is not network.tenant or network:group.tenant` },
    ]);
  }
  return group === undefined ? { network } : { network, group };
}
