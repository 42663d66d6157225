import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { InvalidCursor, InvalidQuery } from '../read-store/errors.js';
import { validationFailed } from './validation.js';

const MAX_LIST_LIMIT = 500;

export const LimitParam = (fallback = 50) =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_LIST_LIMIT, default: fallback, description: 'items per page' }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: '$property must be an integer' }),
    Min(1),
    Max(MAX_LIST_LIMIT),
  );

export const CursorParam = () =>
  applyDecorators(
    ApiPropertyOptional({ description: '`nextCursor` of the previous page (same filters)' }),
    IsOptional(),
    IsString(),
    MaxLength(2000),
  );

export const MinPositionParam = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'wait (up to 5 s) until the view has applied this log position, e.g. the `position` of a command answer; after 5 s the answer comes anyway with `X-Jxc-Stale: true`',
      example: '1042',
    }),
    IsOptional(),
    IsString(),
    MaxLength(64),
    Matches(/^[0-9A-Za-z/:._-]+$/, { message: '$property must be a log position' }),
  );

export const TimeParam = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description, example: '2026-03-01T00:00:00Z' }), IsOptional(), IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 time' }));

export const TextParam = (description: string, example: string) =>
  applyDecorators(ApiPropertyOptional({ description, example }), IsOptional(), IsString(), MaxLength(200), Matches(/\S/, { message: '$property must not be blank' }));

/** ISO-8601 as the views store times (`toISOString`), so that strings compare as times. */
export function normalizedTime(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}

export function timeRange(from: string | undefined, to: string | undefined): { $gte?: string; $lt?: string } | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from === undefined ? {} : { $gte: normalizedTime(from) }), ...(to === undefined ? {} : { $lt: normalizedTime(to) }) };
}

/** A cursor from another query (or made up) is the client's mistake: 400 naming the parameter. */
export async function withCursorChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCursor || (error as { code?: unknown }).code === 'invalid_cursor') {
      throw validationFailed([{ field: 'cursor', problems: ['is not a cursor of this list with these filters'] }]);
    }
    if (error instanceof InvalidQuery) throw validationFailed([{ field: 'query', problems: [error.message] }]);
    throw error;
  }
}

/** A view document as the API shows it: without the store's key and the fields kept only for searching. */
export function publicFields<T extends { id: string }>(doc: T, ...hidden: string[]): Omit<T, 'id'> {
  const { id: _id, ...rest } = doc;
  for (const field of hidden) delete (rest as Record<string, unknown>)[field];
  return rest;
}

/** What every list query takes: page size, the cursor of the next page, and read-your-writes. */
export class PageQuery {
  @LimitParam()
  limit?: number;

  @CursorParam()
  cursor?: string;

  @MinPositionParam()
  minPosition?: string;
}
