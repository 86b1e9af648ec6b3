import { getMetadataStorage } from 'class-validator';
import type { ErrorDetail } from './app.exception.js';

type Class = abstract new (...args: never[]) => unknown;
const knownByClass = new WeakMap<Class, Set<string>>();

/** The fields a DTO class declares: those with a class-validator rule (what whitelist keeps). */
function knownFields(cls: Class): Set<string> {
  let known = knownByClass.get(cls);
  if (!known) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    known = new Set(rules.map((rule) => rule.propertyName));
    knownByClass.set(cls, known);
  }
  return known;
}

function isClass(value: unknown): value is Class {
  return typeof value === 'function' && value !== Object && value !== Array;
}

/**
 * Takes the fields a DTO does not declare out of a plain value before class-transformer sees it,
 * into `unknown` as "is not a known field" (what whitelist with forbidNonWhitelisted would say):
 * class-transformer and class-validator spend microseconds on every key, so a body of 20,000
 * unknown keys cost a quarter second; a Set lookup each costs nothing. Follows nested DTO objects
 * through their declared type; arrays are left to the pipe (their items are few by ArrayMaxSize).
 * Returns a copy; the value itself is not changed.
 */
export function withoutUnknownFields(
  value: unknown,
  cls: unknown,
  path: string,
  unknown: ErrorDetail[],
): unknown {
  if (!isClass(cls) || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const known = knownFields(cls);
  if (known.size === 0) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!known.has(key)) {
      unknown.push({ path: at, message: 'is not a known field' });
      continue;
    }
    const declared: unknown = Reflect.getMetadata('design:type', cls.prototype as object, key);
    kept[key] = withoutUnknownFields(field, declared, at, unknown);
  }
  return kept;
}
