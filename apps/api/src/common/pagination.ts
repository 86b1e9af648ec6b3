import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AppException } from './app.exception.js';

/** A list's page size when `?limit=` is not given. */
export const DEFAULT_PAGE_LIMIT = 50;

/** `?limit=&cursor=` of every list (api-conventions.md). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'must be a cursor returned by a previous page' })
  cursor?: string;
}

export class Page<T> {
  @ApiProperty({ isArray: true }) items!: T[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** Position after the last row of a page ordered by (createdAt, id). */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

const CURSOR_RULE = 'must be a cursor returned by a previous page';
// what encodeCursor writes: toISOString of a date Postgres can hold, then the row's id
const CURSOR_AT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  // identity columns (bigint): at most 18 digits stays below 2^63
  bigint: /^[1-9]\d{0,17}$/,
};

/** What a cursor's id is: a uuid, or an identity column's number. */
export type CursorIdKind = keyof typeof CURSOR_ID;

/**
 * The one decoder of every list's `?cursor=`: anything but what encodeCursor wrote (a forged
 * date, an id of the wrong kind, bytes that are not base64url) is a 400 naming `cursor`, never a
 * value handed to Postgres.
 */
export function decodeCursor(
  cursor: string | undefined,
  idKind: CursorIdKind = 'uuid',
): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  const refuse = () => AppException.invalid([{ path: 'cursor', message: CURSOR_RULE }]);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw refuse();
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [at, id] = parts;
  if (parts.length !== 2 || !at || !id || !CURSOR_AT.test(at) || !CURSOR_ID[idKind].test(id)) throw refuse();
  const createdAt = new Date(at);
  // a date that does not exist (2024-02-30) does not come back the same
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) throw refuse();
  return { createdAt, id };
}

/** A page with its items mapped (a repository's rows to the API's DTOs). */
export function mapPage<R, T>(page: Page<R>, map: (row: R) => T): Page<T> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

/** A page of `limit + 1` rows fetched in order: the first `limit`, and the cursor after them. */
export function pageOf<R>(rows: R[], limit: number, position: (row: R) => CursorPosition): Page<R> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(position(last)) : null };
}
