import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';

import { ApiError, toErrorResponse } from '../http/api-error.js';
import { commandMetadataOf, type JxcRequest } from '../http/request-context.js';
import { AggregateRepository } from '../write-model/aggregate-repository.js';
import { canonicalJson } from '../write-model/canonical-json.js';
import { idempotencyRecord, idempotencyStream, type StoredResponse } from './idempotency-record.aggregate.js';

const COMMAND_ID_NAMESPACE = 'b0d7f5c2-3a41-4e8e-9d55-2f6c1e7a9b30';
export const REDACT_IN_RECORD = 'jxc:idempotency-redact';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

interface RouteTraits {
  readonly successStatus: number;
  /** Response fields never stored (a new API key is shown once): a replay answers them as null. */
  readonly secrets: readonly string[];
}

function redact(body: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0 || typeof body !== 'object' || body === null) return body;
  return { ...body, ...Object.fromEntries(secrets.map((field) => [field, null])) };
}

/** The stored first answer, sent again as it was (status and body). */
export class ReplayedResponse extends Error {
  constructor(readonly response: StoredResponse) {
    super('replayed idempotent response');
    this.name = 'ReplayedResponse';
  }
}

/**
 * Idempotency-Key on POST (API.md): scoped to the caller; same key + same method, path and body returns
 * the first response again and appends nothing; the same key with another request is 422.
 * Concurrent duplicates in this process wait for the first; the record is an event, so it survives restarts,
 * and the command runs with ids derived from the key, so a retry after a crash between the command and
 * its record is a no-op in the store.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<StoredResponse>>();

  constructor(
    private readonly repository: AggregateRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<JxcRequest>();
    const key = request.header('idempotency-key');
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (!KEY_FORMAT.test(key)) {
      throw new ApiError(400, 'validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters', { fields: [{ field: 'Idempotency-Key', problems: ['must be 1 to 255 visible ASCII characters'] }] });
    }
    const scope = createHash('sha256').update(`${request.actor.id}\n${key}`).digest('hex');
    let canonical: string;
    try {
      canonical = canonicalJson({ method: request.method, path: request.originalUrl, body: request.body ?? null });
    } catch {
      // A body with no canonical form (a lone surrogate) is refused by validation, which runs next.
      return next.handle();
    }
    const fingerprint = createHash('sha256').update(canonical).digest('hex');
    const successStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const secrets = this.reflector.get<string[] | undefined>(REDACT_IN_RECORD, context.getHandler()) ?? [];
    return from(this.once(request, scope, fingerprint, { successStatus, secrets }, next));
  }

  private async once(request: JxcRequest, scope: string, fingerprint: string, route: RouteTraits, next: CallHandler): Promise<unknown> {
    const streamId = idempotencyStream(scope);
    const pending = this.inFlight.get(streamId);
    const stored = pending ? await pending : (await this.repository.load(idempotencyRecord, streamId)).state.response;
    if (stored) return this.replay(stored, fingerprint);

    let firstBody: unknown;
    const execution = this.execute(request, streamId, fingerprint, route, next, (body) => (firstBody = body));
    this.inFlight.set(streamId, execution);
    try {
      const response = await execution;
      if (response.status >= 400) throw new ReplayedResponse(response);
      return firstBody;
    } finally {
      this.inFlight.delete(streamId);
    }
  }

  private async execute(request: JxcRequest, streamId: string, fingerprint: string, route: RouteTraits, next: CallHandler, answer: (body: unknown) => void): Promise<StoredResponse> {
    request.jxc.idempotentCommandId = uuidv5(streamId, COMMAND_ID_NAMESPACE);
    let response: StoredResponse;
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      answer(body);
      const stored = body === undefined ? null : (JSON.parse(JSON.stringify(body)) as unknown);
      response = { fingerprint, method: request.method, path: request.originalUrl, status: route.successStatus, body: redact(stored, route.secrets) };
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      // A failure of ours (5xx) is not an answer: the client may retry it.
      if (status >= 500) throw error;
      response = { fingerprint, method: request.method, path: request.originalUrl, status, body };
    }
    const recorded = await this.repository.execute(idempotencyRecord, streamId, { type: 'RecordResponse', response }, { ...commandMetadataOf(request), deterministicEventIds: false });
    return recorded.aggregate.state.response ?? response;
  }

  private replay(stored: StoredResponse, fingerprint: string): never {
    if (stored.fingerprint !== fingerprint) {
      throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', { method: stored.method, path: stored.path });
    }
    throw new ReplayedResponse(stored);
  }
}
