import { Counter, Gauge } from 'prom-client';

import { type MetricsRegistry } from '../../platform/metrics/metrics-registry.js';

/** What the dispatcher counts since start. */
export interface DeliveryCounts {
  /** Pending deliveries waiting in the dispatcher's queues (due or backing off). */
  queued: number;
  delivered: number;
  failed: number;
  dead: number;
}

/** Registers the webhooks' metrics once per registry: deliveries queued, and attempts by outcome. */
export function registerWebhookMetrics(registry: MetricsRegistry, counts: () => DeliveryCounts): void {
  if (!registry.getSingleMetric('jxc_webhook_deliveries_queued')) {
    new Gauge({
      name: 'jxc_webhook_deliveries_queued',
      help: 'Webhook deliveries pending in this process (due now or waiting for a retry)',
      registers: [registry],
      collect() {
        this.set(counts().queued);
      },
    });
  }
  if (!registry.getSingleMetric('jxc_webhook_attempts_total')) {
    new Counter({
      name: 'jxc_webhook_attempts_total',
      help: 'Webhook delivery attempts since start, by outcome: delivered (2xx), failed (retried later), dead (failed after 24 h of retries)',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        this.reset();
        const { delivered, failed, dead } = counts();
        this.inc({ outcome: 'delivered' }, delivered);
        this.inc({ outcome: 'failed' }, failed);
        this.inc({ outcome: 'dead' }, dead);
      },
    });
  }
}
