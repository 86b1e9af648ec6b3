import { parseIPv4 } from '../addressing/ip.util.js';
import { FabricError } from '../errors/fabric.exception.js';

/**
 * An IPv4 address given in a request field (`a.b.c.d`; a `/len` suffix is ignored): its value, or
 * undefined when the field is empty. INVALID, naming `path`, when it is not an address.
 */
export function ipv4Field(text: string | undefined, path: string): bigint | undefined {
  if (text === undefined || text === '') return undefined;
  const value = parseIPv4(text.split('/')[0] ?? '');
  if (value === undefined) throw FabricError.invalid([{ path, message: `"${text}" is not an IPv4 address` }]);
  return value;
}

/** ipv4Field for a field that must be given. */
export function requiredIPv4Field(text: string | undefined, path: string): bigint {
  const value = ipv4Field(text, path);
  if (value === undefined) throw FabricError.invalid([{ path, message: 'is required' }]);
  return value;
}
