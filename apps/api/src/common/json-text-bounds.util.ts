import type { JsonLimits, JsonShapeProblem } from './json-limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * One pass over the raw UTF-8 bytes of a JSON text, before JSON.parse: V8 takes hundreds of
 * milliseconds to parse a megabyte of `[[[[…` or tens of thousands of keys, so both are refused
 * here first, in a few milliseconds, without building anything. Counts exactly what the walk
 * over the parsed value counts (object keys and array items) for valid JSON; invalid JSON is left
 * to JSON.parse to refuse.
 */
export function jsonTextBounds(bytes: Uint8Array, limits: JsonLimits): JsonShapeProblem | undefined {
  const open = new Uint8Array(limits.maxDepth);
  let depth = 0;
  let members = 0;
  let inString = false;
  let escaped = false;
  let arrayJustOpened = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    if (arrayJustOpened) {
      // the first item of an array has no comma before it
      arrayJustOpened = false;
      if (b !== CLOSE_ARRAY) members++;
    }
    switch (b) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        if (depth === limits.maxDepth) return { kind: 'depth', path: '' };
        open[depth++] = b;
        arrayJustOpened = b === OPEN_ARRAY;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        if (depth > 0) depth--;
        break;
      case COMMA:
        if (depth > 0 && open[depth - 1] === OPEN_ARRAY) members++;
        break;
      case COLON:
        if (depth > 0 && open[depth - 1] === OPEN_OBJECT) members++;
        break;
    }
    if (members > limits.maxMembers) return { kind: 'members' };
  }
  return undefined;
}
