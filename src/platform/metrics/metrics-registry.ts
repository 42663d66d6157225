import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The Prometheus registry of the service, served on GET /api/metrics. Any module may inject it and
 * register its own metrics (`new Counter({ name: 'jxc_...', help, registers: [registry] })`).
 */
@Injectable()
export class MetricsRegistry extends Registry {
  constructor() {
    super();
    collectDefaultMetrics({ register: this, prefix: 'jxc_process_' });
  }
}
