/**
 * The SQLSTATE codes Switchyard reacts to, by name (PostgreSQL's "Errors and messages" appendix).
 * Code compares against these names, never against a literal code.
 */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  stringDataRightTruncation: '22001',
  numericValueOutOfRange: '22003',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  invalidRegularExpression: '2201B',
  characterNotInRepertoire: '22021',
  invalidEscapeSequence: '22025',
  invalidTextRepresentation: '22P02',
  untranslatableCharacter: '22P05',
} as const;

export type PgErrorCode = (typeof PG_ERROR)[keyof typeof PG_ERROR];

/** SQLSTATE class 22, "data exception": a value the column cannot take. */
export const PG_DATA_EXCEPTION_CLASS = '22';

/** Whether a database error is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === PG_ERROR.uniqueViolation;
}

/** Whether a database error is a foreign-key violation. */
export function isForeignKeyViolation(err: unknown): boolean {
  return sqlState(err) === PG_ERROR.foreignKeyViolation;
}

/** The SQLSTATE of an error thrown by pg, or wrapped by TypeORM. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const direct = (err as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  const driver = (err as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof driver === 'string' ? driver : undefined;
}

/** Postgres's own error (SQLSTATE and message), whether thrown by pg or wrapped by TypeORM. */
export function postgresError(err: unknown): { code: string; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const driver = (err as { driverError?: unknown }).driverError ?? err;
  if (typeof driver !== 'object' || driver === null || !('severity' in driver)) return undefined;
  const { code, message } = driver as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return { code, message: typeof message === 'string' ? message : '' };
}
