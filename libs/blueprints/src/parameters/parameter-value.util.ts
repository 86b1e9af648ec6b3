import type { Loose, ParameterSpec } from '../blueprint.types.js';
import { compilePattern } from './pattern.util.js';
import { patternInWords } from './pattern-words.util.js';
import { parseCidr } from '../net/cidr.util.js';

const MAX_STRING_VALUE = 4096;

/** Returns why `value` does not satisfy the parameter `spec`, or undefined when it does. */
export function checkParameterValue(spec: Loose<ParameterSpec>, value: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
    case 'secret':
      if (typeof value !== 'string') return `must be a string`;
      if (spec.type === 'secret' && value === '') return 'must not be empty';
      if (value.length > MAX_STRING_VALUE) return `must be at most ${MAX_STRING_VALUE} characters`;
      return checkPattern(spec, value);
    case 'integer':
      if (!Number.isSafeInteger(value)) return 'must be an integer';
      return checkRange(spec, value as number);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      return checkRange(spec, value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum': {
      const values = (spec.values ?? []).filter((v): v is string => v !== undefined);
      return typeof value === 'string' && values.includes(value)
        ? undefined
        : `must be one of: ${values.join(', ')}`;
    }
    case 'cidr': {
      if (typeof value !== 'string') return 'must be a CIDR string like 10.0.0.0/8';
      const parsed = parseCidr(value);
      return parsed.ok ? undefined : parsed.message;
    }
    default:
      return undefined;
  }
}

function checkRange(spec: Loose<ParameterSpec>, value: number): string | undefined {
  if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}`;
  if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}`;
  return undefined;
}

function checkPattern(spec: Loose<ParameterSpec>, value: string): string | undefined {
  if (spec.pattern === undefined) return undefined;
  const compiled = compilePattern(spec.pattern);
  // An invalid pattern is reported on the parameter declaration instead.
  if (!compiled.ok) return undefined;
  if (compiled.regex.test(value)) return undefined;
  // in words when the format is a known one; the expression itself otherwise
  const words = patternInWords(spec.pattern, spec.default === undefined ? undefined : String(spec.default));
  return words ? `must be ${words}` : `must match ${spec.pattern}`;
}
