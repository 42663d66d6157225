import { Counter, Gauge } from 'prom-client';

import { type MetricsRegistry } from '../../platform/metrics/metrics-registry.js';
import { type DueProcesses } from './due-processes.js';

/** Registers the processes' metrics once per registry: the stalled processes per kind, and the failed runs (inline or in recovery). */
export function registerProcessMetrics(registry: MetricsRegistry, due: DueProcesses, failures: () => { order: number; product: number }): void {
  if (!registry.getSingleMetric('jxc_processes_stalled')) {
    new Gauge({
      name: 'jxc_processes_stalled',
      help: 'Orders and products whose process has a step due after a failure (retried with backoff until it succeeds)',
      labelNames: ['process'],
      registers: [registry],
      collect() {
        const counts = due.countByProcess();
        this.set({ process: 'order' }, counts.order);
        this.set({ process: 'product' }, counts.product);
      },
    });
  }
  if (!registry.getSingleMetric('jxc_processes_step_failures_total')) {
    new Counter({
      name: 'jxc_processes_step_failures_total',
      help: 'Process runs that failed at a step or while reading their states, inline or in recovery, since start',
      labelNames: ['process'],
      registers: [registry],
      collect() {
        this.reset();
        const counts = failures();
        this.inc({ process: 'order' }, counts.order);
        this.inc({ process: 'product' }, counts.product);
      },
    });
  }
}
