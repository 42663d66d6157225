import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { type FastifyReply } from 'fastify';
import { hash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';

import { ApiError, toErrorResponse } from '../http/api-error.js';
import { commandMetadataOf, type JxcRequest } from '../http/request-context.js';
import { AggregateRepository, CommandIdReused } from '../write-model/aggregate-repository.js';
import { canonicalJson } from '../write-model/canonical-json.js';
import { idempotencyRecord, idempotencyStream, type StoredResponse } from './idempotency-record.aggregate.js';

const COMMAND_ID_NAMESPACE = 'b0d7f5c2-3a41-4e8e-9d55-2f6c1e7a9b30';
export const REDACT_IN_RECORD = 'jxc:idempotency-redact';
/**
 * A route whose every effect is idempotent by itself, with a body read as a stream (an import): it takes an
 * Idempotency-Key like every POST, and a retry under it runs again (each row answers `unchanged`) rather than
 * replaying a record, which would need the body's fingerprint before the body is read.
 */
export const IDEMPOTENT_BY_ITSELF = 'jxc:idempotent-by-itself';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

interface RouteTraits {
  readonly successStatus: number;
  /** Response fields never stored (a new API key is shown once): a replay answers them as null. */
  readonly secrets: readonly string[];
}

/** The caller's key, scoped to the caller: the same key of two callers never meets. */
export function idempotencyScope(actorId: string, key: string): string {
  return hash('sha256', `${actorId}\n${key}`, 'hex');
}

/** SHA-256 of the request (method, path with query, body); undefined for a body with no canonical form. */
function requestFingerprint(method: string, path: string, body: unknown): string | undefined {
  let canonical: string;
  try {
    canonical = canonicalJson({ method, path, body: body ?? null });
  } catch {
    return undefined;
  }
  return hash('sha256', canonical, 'hex');
}

function redact(body: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0 || typeof body !== 'object' || body === null) return body;
  return { ...body, ...Object.fromEntries(secrets.map((field) => [field, null])) };
}

/**
 * Which first answers are remembered: a success, and a refusal by the domain (409), which the same request
 * would meet again. Never a refusal of the request itself (400, 401, 403, 404, 412, 413, 415, 422: nothing was
 * decided, so nothing is appended), never a conflict the client is told to retry (409 concurrency_conflict),
 * never a failure of ours (5xx).
 */
function isRemembered(response: StoredResponse): boolean {
  if (response.status >= 200 && response.status < 300) return true;
  const code = (response.body as { error?: { code?: unknown } } | null)?.error?.code;
  return response.status === HttpStatus.CONFLICT && code !== 'concurrency_conflict';
}

/** A stored first answer that is an error response: sent again as it was, by the error filter. */
export class ReplayedResponse extends Error {
  constructor(readonly response: StoredResponse) {
    super('replayed idempotent response');
    this.name = 'ReplayedResponse';
  }
}

/**
 * Idempotency-Key on POST (API.md): scoped to the caller; same key + same method, path and body returns the first
 * response again and appends nothing; the same key with another request is 422.
 *
 * The command runs with an id derived from caller + key and event ids derived from it, and its events carry
 * the request's fingerprint: the command's own atomic append is its idempotency record. Before deciding, the
 * repository looks in the command's stream for its first event; found, the command is not decided again, and
 * the handler answers from the state what it answered the first time (AggregateRepository `alreadyApplied`).
 * After the command, the answer itself is recorded in the key's own stream (idempotency-record.aggregate.ts):
 * a later retry gets that exact body without running anything, and a domain refusal (409), which appends
 * nothing to the command's stream, is remembered there. A crash between the two appends loses only that copy.
 * Concurrent duplicates in this process wait for the first.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<StoredResponse>>();
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly repository: AggregateRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<JxcRequest>();
    const given = request.headers['idempotency-key'];
    const key = Array.isArray(given) ? given.join(', ') : given;
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (!KEY_FORMAT.test(key)) {
      throw new ApiError(400, 'validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters', { fields: [{ field: 'Idempotency-Key', problems: ['must be 1 to 255 visible ASCII characters'] }] });
    }
    if (this.reflector.get<boolean | undefined>(IDEMPOTENT_BY_ITSELF, context.getHandler())) return next.handle();
    // A body with no canonical form (a lone surrogate) is refused by validation, which runs next.
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);
    if (fingerprint === undefined) return next.handle();
    const successStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const secrets = this.reflector.get<string[] | undefined>(REDACT_IN_RECORD, context.getHandler()) ?? [];
    const response = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.once(request, response, idempotencyScope(request.actor.id, key), fingerprint, { successStatus, secrets }, next));
  }

  private async once(request: JxcRequest, response: FastifyReply, scope: string, fingerprint: string, route: RouteTraits, next: CallHandler): Promise<unknown> {
    const streamId = idempotencyStream(scope);
    const pending = this.inFlight.get(streamId);
    const stored = pending ? await pending : (await this.repository.load(idempotencyRecord, streamId)).state.response;
    if (stored) return this.replay(stored, fingerprint, route, response);

    const execution = this.execute(request, streamId, fingerprint, route, next);
    // Duplicates arriving meanwhile wait for the answer (a failure of ours fails them too: they may retry).
    const answer = execution.then(({ response }) => response);
    answer.catch(() => undefined);
    this.inFlight.set(streamId, answer);
    try {
      const { body, error } = await execution;
      if (error !== undefined) throw error;
      return body;
    } finally {
      this.inFlight.delete(streamId);
    }
  }

  /** Runs the request once: its answer (body as sent, or the error thrown) and the response to replay. */
  private async execute(request: JxcRequest, streamId: string, fingerprint: string, route: RouteTraits, next: CallHandler): Promise<{ response: StoredResponse; body?: unknown; error?: unknown }> {
    request.jxc.idempotentCommandId = uuidv5(streamId, COMMAND_ID_NAMESPACE);
    request.jxc.requestFingerprint = fingerprint;
    let first: { response: StoredResponse; body?: unknown; error?: unknown };
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const stored = body === undefined ? null : (JSON.parse(JSON.stringify(body)) as unknown);
      first = { body, response: { fingerprint, method: request.method, path: request.originalUrl, status: route.successStatus, body: redact(stored, route.secrets) } };
    } catch (thrown) {
      // The command's events were appended for another request under this key (their fingerprint says so).
      const error = thrown instanceof CommandIdReused ? new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', {}) : thrown;
      const { status, body } = toErrorResponse(error);
      // A failure of ours (5xx) is not an answer: the client may retry it.
      if (status >= 500) throw error;
      first = { error, response: { fingerprint, method: request.method, path: request.originalUrl, status, body } };
    }
    if (!isRemembered(first.response)) return first;
    try {
      const recorded = await this.repository.execute(idempotencyRecord, streamId, { type: 'RecordResponse', response: first.response }, { ...commandMetadataOf(request), deterministicEventIds: false });
      const kept = recorded.aggregate.state.response;
      // Another process answered this key first (both found nothing recorded): its answer is the first one.
      if (kept && kept !== first.response && recorded.events.length === 0) return { response: kept, error: new ReplayedResponse(kept), body: undefined };
      return first;
    } catch (error) {
      // The answer stands: the command's events are its record, a retry finds them and answers from the state.
      this.logger.warn(`first answer of ${streamId} not recorded (a retry rebuilds it from the state): ${(error as Error).message}`);
      return first;
    }
  }

  /** The first answer again: a success as a normal response marked Idempotent-Replayed, an error through the error filter. */
  private replay(stored: StoredResponse, fingerprint: string, route: RouteTraits, response: FastifyReply): unknown {
    if (stored.fingerprint !== fingerprint) {
      throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', { method: stored.method, path: stored.path });
    }
    // The route sends its own success status; a stored answer with another one (an error) goes through the filter.
    if (stored.status !== route.successStatus) throw new ReplayedResponse(stored);
    response.header('Idempotent-Replayed', 'true');
    return stored.body;
  }
}
