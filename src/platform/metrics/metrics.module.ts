import { Global, Inject, type MiddlewareConsumer, Module, type NestModule, type OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';

import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { AggregateRepository } from '../write-model/aggregate-repository.js';
import { countCommandOutcomes } from './command-outcomes.js';
import { HttpMetricsMiddleware } from './http-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';

/**
 * GET /api/metrics and the registry every module registers its metrics into; here also the event store's and the
 * command path's counters, command outcomes (command-outcomes.ts) and HTTP request durations (http-metrics.ts).
 */
@Global()
@Module({ controllers: [MetricsController], providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsModule implements OnModuleInit, NestModule {
  constructor(
    private readonly registry: MetricsRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly repository: AggregateRepository,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }

  onModuleInit(): void {
    countCommandOutcomes(this.registry, this.repository);
    const store = this.store as EventStore & { stats?: () => { commits: number; appends: number; events: number } };
    if (typeof store.stats === 'function') {
      const stats = () => store.stats!();
      this.counterFrom('jxc_event_store_commits_total', 'Group commits of the embedded event store since start', () => stats().commits);
      this.counterFrom('jxc_event_store_appends_total', 'Appends committed since start', () => stats().appends);
      this.counterFrom('jxc_event_store_events_total', 'Events appended since start', () => stats().events);
    }
    this.counterFrom('jxc_aggregate_cache_hits_total', 'Commands that found their stream state in the cache', () => this.repository.stats().hits);
    this.counterFrom('jxc_aggregate_loads_total', 'Stream states loaded from the event store', () => this.repository.stats().loads);
    this.counterFrom('jxc_aggregate_conflicts_total', 'Appends retried after a revision conflict', () => this.repository.stats().conflicts);
  }

  private counterFrom(name: string, help: string, read: () => number): void {
    if (this.registry.getSingleMetric(name)) return;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }
}
