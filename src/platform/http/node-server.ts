import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Runs `listener` on every request the Node server takes, before Fastify's own listener (registered first): what
 * must see every request, even one Fastify refuses before routing (the request log, helmet's headers).
 */
export function beforeFastify(app: NestFastifyApplication, listener: (request: IncomingMessage, response: ServerResponse) => void): void {
  (app.getHttpServer() as Server).prependListener('request', listener);
}
