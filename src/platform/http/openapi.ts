import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

import { type ApiErrorBody, type ApiErrorCode } from './api-error.js';

/*
 * How the OpenAPI document stays true to the code that answers:
 * - every response class is checked at compile time against the TypeScript type its handler returns
 *   (`Same<Class, Answer>` below, next to each class): a field added, dropped, made nullable or
 *   optional on one side only is a type error;
 * - every enum in a response class lists every value of its domain type (`everyValue`);
 * - test/support/openapi.ts validates every response of the end-to-end suites against the served
 *   document, with every object closed (no undocumented field) and every documented status checked.
 */

type Plain<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer Item)[]
    ? Plain<Item>[]
    : T extends object
      ? { -readonly [K in keyof T]: Plain<T[K]> }
      : T;

/**
 * True when A and B have the same fields with the same types, optionality and nullability, at every
 * depth (readonly and class vs interface do not count). Use as `type _X = Expect<Same<Class, Answer>>`.
 */
export type Same<A, B> = (<X>() => X extends Plain<A> ? 1 : 2) extends (<X>() => X extends Plain<B> ? 1 : 2) ? true : false;
export type Expect<T extends true> = T;

/**
 * The values of a string union, checked complete at compile time: `everyValue<OrderKind>()('sale', 'purchase')`.
 * A value missing from the list (or one the union does not have) is a type error.
 */
export const everyValue =
  <T extends string>() =>
  <const V extends readonly T[]>(...values: V & ([T] extends [V[number]] ? unknown : { missing: Exclude<T, V[number]> })): readonly T[] =>
    values;

class ApiErrorDetail {
  @ApiProperty({ type: String, pattern: '^[a-z][a-z0-9_]*$', example: 'validation_failed', description: 'a stable snake_case code (API.md "Errors")' })
  code!: ApiErrorCode;

  @ApiProperty({ example: 'invalid request: lines[0].quantity: must be a positive integer', description: 'a sentence for people' })
  message!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { fields: [{ field: 'lines[0].quantity', problems: ['must be a positive integer'] }] },
    description: 'what the code needs: `fields` for validation_failed, `lines` for insufficient_stock, the ids involved',
  })
  details!: Record<string, unknown>;
}

/** API.md's error format, `{"error": {"code", "message", "details"}}`, for every status >= 400. */
export class ApiErrorView {
  @ApiProperty({ type: ApiErrorDetail }) error!: ApiErrorDetail;
}

type _ApiErrorView = Expect<Same<ApiErrorView, ApiErrorBody>>;

/** What each error status means in jxc, with the codes it carries. */
const ERROR_STATUSES = {
  304: 'not modified since that ETag (no body)',
  400: '`validation_failed`: details.fields names each bad field (body, query or path)',
  401: '`unauthenticated`: no, unknown, expired or revoked API key',
  403: '`forbidden`: the key lacks the role this needs (checked before any state)',
  404: '`not_found`: no such resource, or one the caller may not see',
  409: 'a rule the current state forbids (`insufficient_stock`, `invalid_transition`, `cancellation_pending`, `not_cancellable`, `self_approval`, ' +
    '`overpayment`, `refund_exceeds_paid`, `exceeds_ordered`, `exceeds_shipped`, `already_exists`, `below_shipped`, `on_hold`), or `concurrency_conflict` (retry)',
  412: '`revision_mismatch`: the If-Match revision is stale',
  413: '`payload_too_large`: the request body is too large',
  422: '`idempotency_key_reused`: the Idempotency-Key was used for another request',
  429: '`too_many_requests` (with Retry-After): from the 11th failed authentication within 60 s from one client address, its requests without a valid key; ' +
    'or this key is over JXC_RATE_LIMIT_PER_MINUTE',
  503: '`storage_unavailable` / `read_store_unavailable` (with Retry-After) or `unavailable` (shutting down): retry later',
} as const;

type ErrorStatus = Exclude<keyof typeof ERROR_STATUSES, 304>;

/** Documents these error statuses with API.md's error body. Works on a controller (every operation) or on one operation. */
export const ApiErrors = (...statuses: ErrorStatus[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_STATUSES[status], type: ApiErrorView })));

/** 304 of a conditional GET (If-None-Match). */
export const ApiNotModified = () => ApiResponse({ status: 304, description: ERROR_STATUSES[304] });

/** A command: its body is validated, it may conflict with the state, be too large, reuse an Idempotency-Key, or find the store down. */
export const ApiCommandErrors = () => ApiErrors(400, 409, 413, 422, 503);

/** A query: its parameters are validated; the read store may be down. */
export const ApiQueryErrors = () => ApiErrors(400, 503);
