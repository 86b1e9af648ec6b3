import type { Request } from 'express';
import { postgresError } from '../platform/postgres-errors.js';
import { errorBody, type ErrorBody } from './error-body.js';

// SQLSTATE class 22 ("data exception"): the request carried a value the column cannot take.
// What Postgres says is not sent (it may quote SQL); these say it in the API's words.
const MESSAGES: Record<string, string> = {
  '22P02': 'is not valid for its type',
  '22003': 'is out of range',
  '22007': 'is not a valid date or time',
  '22008': 'is out of the range of dates and times',
  '22001': 'is too long',
  '22021': 'contains bytes that are not valid text (e.g. NUL)',
  '22P05': 'contains a character that cannot be stored (e.g. \\u0000)',
  '2201B': 'is not a valid regular expression',
  '22025': 'has an invalid escape sequence',
};
const WALK_LIMIT = 50_000;

/**
 * The one place where a Postgres data error (SQLSTATE 22…) becomes a 400. The validation layer
 * should refuse such values first; this is the net under it. The field is named when it can be
 * found: Postgres quotes the offending value in some messages, NUL is recognisable, and "too long"
 * says the length.
 */
export function postgresDataErrorBody(err: unknown, req: Request | undefined): ErrorBody | undefined {
  const pg = postgresError(err);
  if (!pg?.code.startsWith('22')) return undefined;
  const message = MESSAGES[pg.code] ?? 'is not a valid value';
  const quoted = /: "(.*)"$/s.exec(pg.message)?.[1];
  const maxLength = Number(/varying\((\d+)\)/.exec(pg.message)?.[1] ?? NaN);
  const culprit =
    quoted !== undefined
      ? (s: string) => s === quoted || s.trim() === quoted
      : pg.code === '22021' || pg.code === '22P05'
        ? (s: string) => s.includes('\0')
        : pg.code === '22001' && maxLength > 0
          ? (s: string) => s.length > maxLength
          : undefined;
  const path = (culprit && req && findPath(req, culprit)) ?? '';
  return errorBody(400, 'The request is invalid', [{ path, message }]);
}

/** The dot path of the first string in the request's params, query or body that matches. */
function findPath(req: Request, matches: (s: string) => boolean): string | undefined {
  const stack: [unknown, string][] = [
    [req.body, ''],
    [req.query, ''],
    [req.params, ''],
  ];
  for (let seen = 0; stack.length > 0 && seen < WALK_LIMIT; seen++) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (matches(value)) return path;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}
