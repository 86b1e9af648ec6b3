import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AppException } from './app.exception.js';

/** `?limit=&cursor=` of every list (api-conventions.md). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
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

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw AppException.invalid([{ path: 'cursor', message: 'must be a cursor returned by a previous page' }]);
  }
  return { createdAt, id };
}

/** Builds a page from `limit + 1` rows fetched in (createdAt, id) order. */
export function toPage<R extends CursorPosition, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { items: shown.map(map), nextCursor: more && last ? encodeCursor(last) : null };
}
