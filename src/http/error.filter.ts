import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type Response } from 'express';

import { ReplayedResponse } from '../idempotency/idempotency.interceptor.js';
import { toErrorResponse } from './api-error.js';

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
    const { status, body } = toErrorResponse(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(status).json(body);
  }
}
