import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { type IncomingMessage, type ServerResponse } from 'node:http';

import { CONFIG, type Config } from '../../config/config.js';
import { beforeFastify } from '../node-server.js';

type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * helmet's headers, set on a Node response. Served over plain HTTP (no JXC_TLS_CERT), `upgrade-insecure-requests`
 * would send the console's own scripts to https:// on any host but loopback, where nothing listens: only with TLS
 * is it kept.
 */
function securityHeaders(tls: boolean): NodeMiddleware {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: tls ? [] : null } } }) as unknown as NodeMiddleware;
}

/**
 * helmet's security headers on every response (its default Content-Security-Policy suits the OpenAPI UI at
 * /api/docs, which loads only its own scripts); CORS only for the origins JXC_CORS_ORIGINS lists.
 */
export function applySecurityEdges(app: NestFastifyApplication): void {
  const config = app.get<Config>(CONFIG);
  const headers = securityHeaders(config.tls !== undefined);
  // helmet itself, on the Node response as the server takes the request, before Fastify routes it (as the first
  // Express middleware did): Fastify merges those headers into every response it sends (404s, errors, a CORS
  // preflight, a malformed URL), and a response written to the Node response (a refusal while stopping,
  // http/graceful-stop.ts) carries them too.
  beforeFastify(app, (request, response) => headers(request, response, () => undefined));
  if (config.corsOrigins.length === 0) return;
  // @fastify/cors through Nest (its request hook runs before Nest middleware, as the cors middleware did); a
  // preflight is answered 204 whatever it carries, as the cors middleware did (strictPreflight off).
  app.enableCors({
    origin: [...config.corsOrigins],
    // As comma-separated strings: the header values stay as they were (`GET,HEAD,...`, no spaces).
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].join(','),
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Correlation-Id'].join(','),
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Idempotent-Replayed', 'X-Correlation-Id', 'X-Jxc-Stale', 'X-Jxc-View-Position'].join(','),
    maxAge: 600,
    strictPreflight: false,
  });
}
