import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type Response } from 'express';

import { ReplayedResponse } from '../idempotency/idempotency.interceptor.js';
import { toErrorResponse } from './api-error.js';
import { type JxcRequest } from './request-context.js';

/** Every error leaves as API.md's `{error: {code, message, details}}`; never a stack trace. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (error instanceof ReplayedResponse) {
      response.status(error.response.status).setHeader('Idempotent-Replayed', 'true').json(error.response.body);
      return;
    }
    const { status, body, headers } = toErrorResponse(error);
    if (status === 503) {
      // A store outage: one line with the driver's reason (StoreHealth logs the outage itself), no stack per request.
      this.logger.warn(`${body.error.code}: ${error instanceof Error ? describe(error) : String(error)}`);
    } else if (status >= 500) {
      // Method, path (no query string), correlation id, and the stack: for the log only, never the client.
      const request = host.switchToHttp().getRequest<Partial<JxcRequest>>();
      this.logger.error(
        { message: `${request.method} ${request.path} failed: ${error instanceof Error ? error.message : String(error)}`, method: request.method, path: request.path, correlationId: request.jxc?.correlationId },
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
    }
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(status).json(body);
  }
}

function describe(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
