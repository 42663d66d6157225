import { HttpException, HttpStatus } from '@nestjs/common';

import { type DomainErrorCode, isDomainError } from '../../../domain/shared/domain-error.js';
import { AppendTooLarge, EventStoreClosed, StorageUnavailable, WrongExpectedRevision } from '../event-store/errors.js';
import { ReadStoreUnavailable } from '../read-store/errors.js';
import { RevisionMismatch } from '../write-model/aggregate-repository.js';

export type ApiErrorCode =
  | DomainErrorCode
  | 'unauthenticated'
  | 'revision_mismatch'
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'concurrency_conflict'
  | 'unavailable'
  | 'storage_unavailable'
  | 'read_store_unavailable'
  | 'too_many_requests'
  | 'internal_error';

export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly details: Record<string, unknown> };
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** Response headers that go with the error (`Retry-After` on a 503 the client should retry). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Seconds a client waits before retrying after `503 storage_unavailable` (a disk freed, a server back). */
const STORAGE_RETRY_AFTER_SECONDS = 5;
/** Seconds a client waits before retrying after `503 read_store_unavailable`. */
const READ_STORE_RETRY_AFTER_SECONDS = 2;

/** An error the application raises itself with an API code (validation, auth, idempotency). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Response headers that go with it (`Retry-After` on a 429). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  forbidden: 403,
  not_found: 404,
  insufficient_stock: 409,
  invalid_transition: 409,
  cancellation_pending: 409,
  not_cancellable: 409,
  self_approval: 409,
  overpayment: 409,
  insufficient_credit: 409,
  refund_exceeds_paid: 409,
  exceeds_ordered: 409,
  exceeds_shipped: 409,
  already_exists: 409,
  below_shipped: 409,
  on_hold: 409,
  inactive: 409,
};

const HTTP_CODES: Partial<Record<number, ApiErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** The one mapping from anything thrown to the status and body of API.md's error format. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) return { ...response(error.status, error.code, error.message, error.details), ...(error.headers ? { headers: error.headers } : {}) };
  if (isDomainError(error)) return response(DOMAIN_STATUS[error.code] ?? 409, error.code, error.message, error.details);
  if (error instanceof RevisionMismatch) {
    return response(412, 'revision_mismatch', error.message, { expected: Number(error.expected), actual: error.actual === undefined ? null : Number(error.actual) });
  }
  if (error instanceof WrongExpectedRevision) return response(409, 'concurrency_conflict', 'the resource changed too often while this command ran; retry it', {});
  if (error instanceof EventStoreClosed) return response(503, 'unavailable', 'the service is shutting down', {});
  if (error instanceof AppendTooLarge) {
    return response(413, 'payload_too_large', `the events this request would record are larger than the store takes in one append (${error.limit} bytes); send less at once`, { limit: error.limit });
  }
  // The driver's text stays in the log (the cause): the client learns what failed and when to retry, nothing internal.
  if (error instanceof StorageUnavailable) {
    return withRetryAfter(response(503, 'storage_unavailable', 'the event store is unavailable right now; retry later, with the same Idempotency-Key', {}), STORAGE_RETRY_AFTER_SECONDS);
  }
  if (error instanceof ReadStoreUnavailable) {
    return withRetryAfter(response(503, 'read_store_unavailable', 'the read store did not answer in time; retry later', {}), READ_STORE_RETRY_AFTER_SECONDS);
  }
  // Fastify's own refusals, as thrown (the router's) or as Nest's error handler wraps them (a body, a Content-Type).
  if (isFastifyError(error)) return fastifyRefusal(error);
  if (error instanceof HttpException && isFastifyError(error.cause)) return fastifyRefusal(error.cause);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_CODES[status] ?? (status < 500 ? 'validation_failed' : 'internal_error');
    const message = httpMessage(error);
    // The JSON body parser's refusal: name the field, as every other validation failure does.
    if (status === 400 && /JSON/.test(message)) {
      return response(400, 'validation_failed', `the request body is not valid JSON: ${message}`, { fields: [{ field: 'body', problems: [`is not valid JSON: ${message}`] }] });
    }
    return response(status, code, message, {});
  }
  if (isBodyParserError(error)) {
    const status = error.status;
    if (status === 413) return response(413, 'payload_too_large', 'the request body is too large', {});
    if (status === 415) return response(415, 'unsupported_media_type', 'send the body as application/json', {});
    return response(400, 'validation_failed', 'the request body is not valid JSON', { body: [error.message] });
  }
  return response(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'an unexpected error occurred; it has been logged', {});
}

function response(status: number, code: ApiErrorCode, message: string, details: Record<string, unknown>): ErrorResponse {
  return { status, body: { error: { code, message, details } } };
}

function withRetryAfter(error: ErrorResponse, seconds: number): ErrorResponse {
  return { ...error, headers: { 'Retry-After': String(seconds) } };
}

function httpMessage(error: HttpException): string {
  const payload = error.getResponse();
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}

/**
 * Fastify's own refusals (FST_ERR_*): a body over the limit in the words it always had (body-parser's), a
 * Content-Type that is no media type naming the header, a malformed URL; the API's code for the status.
 */
function fastifyRefusal(error: Error & { code: string; statusCode: number }): ErrorResponse {
  const status = error.statusCode;
  if (status === 413) return response(413, 'payload_too_large', 'request entity too large', {});
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return response(415, 'unsupported_media_type', 'the Content-Type header is not a valid media type; send the body as application/json', {
      fields: [{ field: 'Content-Type', problems: ['is not a valid media type'] }],
    });
  }
  return response(status, HTTP_CODES[status] ?? 'validation_failed', error.message, {});
}

/** An error Fastify raised itself (a 4xx: `code` FST_ERR_..., `statusCode`). */
function isFastifyError(error: unknown): error is Error & { code: string; statusCode: number } {
  if (!(error instanceof Error)) return false;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  return typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

function isBodyParserError(error: unknown): error is Error & { status: number; type: string } {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && typeof (error as { type?: unknown }).type === 'string';
}
