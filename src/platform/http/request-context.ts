import { createParamDecorator, type ExecutionContext, Injectable, type NestMiddleware } from '@nestjs/common';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type IncomingMessage, type ServerResponse } from 'node:http';

import { type Actor } from '../../../domain/shared/context.js';
import { newId } from '../ids.js';
import { type CommandMetadata } from '../write-model/command-metadata.js';

/** What jxc attaches to a request on its way in. */
export interface JxcRequestState {
  correlationId: string;
  receivedAt: string;
  actor?: Actor;
  /** Set by the idempotency interceptor: the command id derived from the Idempotency-Key. */
  idempotentCommandId?: string;
  /** Set with it: the fingerprint of the keyed request, stamped on the command's events. */
  requestFingerprint?: string;
}

/**
 * The request as guards, interceptors and handlers see it (Fastify's). `jxc` and `actor` live on the Node request
 * under it (`raw`), where Nest middleware, the request log and the metrics see them too (decorateRequestState).
 */
export type JxcRequest = FastifyRequest & { jxc: JxcRequestState; actor?: Actor };

/** The Node request with what jxc attached (Nest middleware and the response hooks see this one). */
export type RawJxcRequest = IncomingMessage & { jxc?: JxcRequestState; actor?: Actor; jxcRoute?: string };

/**
 * `request.jxc` and `request.actor` of Fastify's request read and write its Node request's, so that one state is
 * seen from both sides; and the route pattern a request matched (`/api/orders/:id`) is noted on the Node request
 * for the request log and the metrics (none for a request no route took, or the console's catch-all).
 */
export function decorateRequestState(fastify: FastifyInstance): void {
  for (const name of ['jxc', 'actor'] as const) {
    fastify.decorateRequest(name, {
      getter(this: FastifyRequest) {
        return (this.raw as RawJxcRequest)[name];
      },
      setter(this: FastifyRequest, value: unknown) {
        (this.raw as unknown as Record<string, unknown>)[name] = value;
      },
    });
  }
  fastify.addHook('onRequest', (request, _reply, done) => {
    const url = request.routeOptions.url;
    if (!request.is404 && url !== undefined && (request.routeOptions.config as { unmatchedRoute?: boolean } | undefined)?.unmatchedRoute !== true) (request.raw as RawJxcRequest).jxcRoute = url;
    done();
  });
}

const CORRELATION_ID = /^[\w.:@/+=-]{1,128}$/;

/** X-Correlation-Id in (when well-formed) or a new one; echoed on the response. The clock is read here, once. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const given = request.headers['x-correlation-id'];
    const correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : newId();
    (request as RawJxcRequest).jxc = { correlationId, receivedAt: new Date().toISOString() };
    response.setHeader('X-Correlation-Id', correlationId);
    next();
  }
}

export function commandMetadataOf(request: Pick<JxcRequest, 'jxc' | 'actor'>): CommandMetadata {
  const actor = request.actor;
  if (!actor) throw new Error('command metadata asked for an unauthenticated request');
  const keyed = request.jxc.idempotentCommandId;
  const commandId = keyed ?? newId();
  return {
    commandId,
    correlationId: request.jxc.correlationId,
    causationId: commandId,
    actor,
    now: request.jxc.receivedAt,
    deterministicEventIds: keyed !== undefined,
    ...(keyed !== undefined && request.jxc.requestFingerprint !== undefined ? { requestFingerprint: request.jxc.requestFingerprint } : {}),
  };
}

/** The metadata of the command this request carries: actor, ids, time. */
export const CommandContext = createParamDecorator((_unused: unknown, context: ExecutionContext): CommandMetadata => commandMetadataOf(context.switchToHttp().getRequest<JxcRequest>()));

/** The authenticated caller. */
export const CurrentActor = createParamDecorator((_unused: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<JxcRequest>().actor;
  if (!actor) throw new Error('no actor on an authenticated route');
  return actor;
});
