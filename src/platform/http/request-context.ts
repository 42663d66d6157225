import { createParamDecorator, type ExecutionContext, Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

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

export type JxcRequest = Request & { jxc: JxcRequestState; actor?: Actor };

const CORRELATION_ID = /^[\w.:@/+=-]{1,128}$/;

/** X-Correlation-Id in (when well-formed) or a new one; echoed on the response. The clock is read here, once. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const given = request.headers['x-correlation-id'];
    const correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : newId();
    (request as JxcRequest).jxc = { correlationId, receivedAt: new Date().toISOString() };
    response.setHeader('X-Correlation-Id', correlationId);
    next();
  }
}

export function commandMetadataOf(request: JxcRequest): CommandMetadata {
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
