import { type NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';

import { CONFIG, type Config } from '../../config/config.js';

/**
 * helmet's security headers on every response (its default Content-Security-Policy suits the OpenAPI UI at
 * /api/docs, which loads only its own scripts); CORS only for the origins JXC_CORS_ORIGINS lists.
 */
export function applySecurityEdges(app: NestExpressApplication): void {
  const config = app.get<Config>(CONFIG);
  // Served over plain HTTP (no JXC_TLS_CERT), `upgrade-insecure-requests` would send the console's own
  // scripts to https:// on any host but loopback, where nothing listens: only with TLS is it kept.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.tls ? [] : null } } }));
  if (config.corsOrigins.length === 0) return;
  app.enableCors({
    origin: [...config.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Correlation-Id'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Idempotent-Replayed', 'X-Correlation-Id', 'X-Jxc-Stale', 'X-Jxc-View-Position'],
    maxAge: 600,
  });
}
