import type { Request } from 'express';
import { PG_DATA_EXCEPTION_CLASS, PG_ERROR, postgresError } from '@switchyard/core/database';
import { errorBody, type ErrorBody } from './error-body.js';

// SQLSTATE class 22 ("data exception"): the request carried a value the column cannot take.
// What Postgres says is not sent (it may quote SQL); these say it in the API's words.
const MESSAGES: Record<string, string> = {
  [PG_ERROR.invalidTextRepresentation]: 'is not valid for its type',
  [PG_ERROR.numericValueOutOfRange]: 'is out of range',
  [PG_ERROR.invalidDatetimeFormat]: 'is not a valid date or time',
  [PG_ERROR.datetimeFieldOverflow]: 'is out of the range of dates and times',
  [PG_ERROR.stringDataRightTruncation]: 'is too long',
  [PG_ERROR.characterNotInRepertoire]: 'contains bytes that are not valid text (e.g. NUL)',
  [PG_ERROR.untranslatableCharacter]: 'contains a character that cannot be stored (e.g. \\u0000)',
  [PG_ERROR.invalidRegularExpression]: 'is not a valid regular expression',
  [PG_ERROR.invalidEscapeSequence]: 'has an invalid escape sequence',
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
  if (!pg?.code.startsWith(PG_DATA_EXCEPTION_CLASS)) return undefined;
  const message = MESSAGES[pg.code] ?? 'is not a valid value';
  const quoted = /: "(.*)"$/s.exec(pg.message)?.[1];
  const maxLength = Number(/varying\((\d+)\)/.exec(pg.message)?.[1] ?? NaN);
  const culprit =
    quoted !== undefined
      ? (s: string) => s === quoted || s.trim() === quoted
      : pg.code === PG_ERROR.characterNotInRepertoire || pg.code === PG_ERROR.untranslatableCharacter
        ? (s: string) => s.includes('\0')
        : pg.code === PG_ERROR.stringDataRightTruncation && maxLength > 0
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
