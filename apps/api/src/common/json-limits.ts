import { AppException, ErrorCode } from './app.exception.js';

/**
 * The shape every JSON body must keep, checked on the raw text before JSON.parse and again on the
 * parsed value before any transformation: the deepest legitimate body (a blueprint) nests about
 * ten levels, and the largest (an environment with 1,000 priced instance types and 500 images)
 * holds about 7,000 keys and items.
 */
export interface JsonLimits {
  /** Levels of objects and arrays; the body's own object is level 1. */
  maxDepth: number;
  /** Object keys plus array items, counted over the whole body. */
  maxMembers: number;
}

export const JSON_LIMITS: JsonLimits = { maxDepth: 32, maxMembers: 20_000 };

/** What the checks found wrong with a body (the first problem only: the walk stops there). */
export type JsonShapeProblem =
  { kind: 'depth'; path: string } | { kind: 'members' } | { kind: 'text'; path: string; message: string };

/** The documented answer to a problem: 413 for too many members, 400 otherwise. */
export function jsonShapeException(problem: JsonShapeProblem, limits: JsonLimits): AppException {
  switch (problem.kind) {
    case 'members':
      return new AppException(ErrorCode.PayloadTooLarge, 'The body has too many keys and items', [
        { path: '', message: `must hold at most ${limits.maxMembers} object keys and array items in all` },
      ]);
    case 'depth':
      return AppException.invalid(
        [{ path: problem.path, message: `is nested deeper than ${limits.maxDepth} levels` }],
        'The body is nested too deeply',
      );
    case 'text':
      return AppException.invalid([{ path: problem.path, message: problem.message }]);
  }
}
