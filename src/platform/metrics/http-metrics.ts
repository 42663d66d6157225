import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Histogram } from 'prom-client';

import { routeOf } from '../logging/logging.js';
import { MetricsRegistry } from './metrics-registry.js';

/** Seconds: from a fast read (a few ms) to a slow export. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `jxc_http_request_duration_seconds{method, route, status_class}`: every answered request, by route pattern
 * (`/api/orders/:id`, `unmatched` for none: the label set stays bounded) and status class (2xx, 4xx, 5xx).
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status_class'>;

  constructor(registry: MetricsRegistry) {
    this.duration =
      (registry.getSingleMetric('jxc_http_request_duration_seconds') as Histogram<'method' | 'route' | 'status_class'> | undefined) ??
      new Histogram({
        name: 'jxc_http_request_duration_seconds',
        help: 'Duration of HTTP requests until the response is finished, by method, route pattern and status class',
        labelNames: ['method', 'route', 'status_class'],
        buckets: BUCKETS,
        registers: [registry],
      });
  }

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe({ method: request.method ?? '', route: routeOf(request), status_class: `${Math.floor(response.statusCode / 100)}xx` }, seconds);
    });
    next();
  }
}
