import { Counter } from 'prom-client';

import { toErrorResponse } from '../http/api-error.js';
import { type AggregateRepository } from '../write-model/aggregate-repository.js';
import { type MetricsRegistry } from './metrics-registry.js';

type Labels = 'family' | 'command' | 'outcome' | 'code';

/**
 * `jxc_commands_total{family, command, outcome, code}`: every command the write side decides (a client's and a
 * process step's), by aggregate family (order, stock, payment, product, ...) and command type; outcome `ok`,
 * `refused` (a 4xx answer: `code` is its API code, e.g. insufficient_stock) or `error` (`code` e.g.
 * storage_unavailable, internal_error). Told by AggregateRepository.execute, the one path every command takes.
 */
export function countCommandOutcomes(registry: MetricsRegistry, repository: AggregateRepository): void {
  if (registry.getSingleMetric('jxc_commands_total')) return;
  const counter = new Counter<Labels>({
    name: 'jxc_commands_total',
    help: 'Commands decided by the write side, by aggregate family, command type and outcome (ok, refused, error) with the refusal or error code',
    labelNames: ['family', 'command', 'outcome', 'code'],
    registers: [registry],
  });
  repository.observeCommands(({ aggregate, command, error }) => {
    const labels = { family: aggregate, command: commandType(command) };
    if (error === undefined) {
      counter.inc({ ...labels, outcome: 'ok', code: '' });
      return;
    }
    const { status, body } = toErrorResponse(error);
    counter.inc({ ...labels, outcome: status < 500 ? 'refused' : 'error', code: body.error.code });
  });
}

function commandType(command: unknown): string {
  const type = typeof command === 'object' && command !== null ? (command as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : 'unknown';
}
