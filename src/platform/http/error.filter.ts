import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { ReplayedResponse } from '../idempotency/idempotency.interceptor.js';
import { toErrorResponse } from './api-error.js';
import { type JxcRequest } from './request-context.js';

/** Every error leaves as API.md's `{error: {code, message, details}}`; never a stack trace. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    // Through the adapter: a Fastify reply, or the Node response of a Nest middleware that threw.
    const http = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    if (http.isHeadersSent(response)) return;
    if (error instanceof ReplayedResponse) {
      http.setHeader(response, 'Idempotent-Replayed', 'true');
      http.reply(response, error.response.body, error.response.status);
      return;
    }
    const { status, body, headers } = toErrorResponse(error);
    if (status === 503) {
      // A store outage: one line with the driver's reason (StoreHealth logs the outage itself), no stack per request.
      this.logger.warn(`${body.error.code}: ${error instanceof Error ? describe(error) : String(error)}`);
    } else if (status >= 500) {
      // Method, path (no query string), correlation id, and the stack: for the log only, never the client.
      const request = host.switchToHttp().getRequest<Partial<JxcRequest> & { url?: string }>();
      const path = (request.url ?? '').split('?')[0];
      this.logger.error(
        { message: `${request.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`, method: request.method, path, correlationId: request.jxc?.correlationId },
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
    }
    for (const [name, value] of Object.entries(headers ?? {})) http.setHeader(response, name, value);
    http.reply(response, body, status);
  }
}

function describe(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
