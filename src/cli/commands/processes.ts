import { newId } from '../../platform/ids.js';
import { ID_PATTERN } from '../../platform/http/dto-rules.js';
import { OrderProcessRunner } from '../../orders/processes/order-process-runner.js';
import { readStalledProcesses, shortError, stalledKey, stalledOf, STALLED_PROCESSES_VIEW } from '../../orders/processes/stalled-processes.js';
import { AggregateRepository } from '../../platform/write-model/aggregate-repository.js';
import { EXIT, usageError } from '../cli-error.js';
import { type Output } from '../output.js';
import { type Stores } from '../stores.js';

/** Refuses an order id that cannot be one (before any store is opened). */
export function checkOrderId(orderId: string): void {
  if (!ID_PATTERN.test(orderId)) throw usageError(`${JSON.stringify(orderId)} is not an order id (1 to 64 letters, digits, . _ -, starting with a letter or digit)`);
}

/**
 * `jxc processes stalled`: the processes the service records as having a step due after a failure (the
 * `stalled_processes` view of the read store), oldest failure first. Exit 0 whatever the list holds.
 */
export async function listStalled(stores: Stores, io: Output, options: { json: boolean }): Promise<number> {
  const items = (await readStalledProcesses(stores.views)).map(stalledOf);
  if (options.json) {
    io.out(JSON.stringify({ items }));
    return EXIT.ok;
  }
  for (const item of items) {
    const subject = item.process === 'order' ? `order ${item.orderId}` : `product ${item.sku}`;
    const step = item.step === null ? 'reading its states' : `${item.step} on ${item.streamId}`;
    io.out(`${subject}: ${step} failed ${item.attempts} time${item.attempts === 1 ? '' : 's'} since ${item.since}, next attempt ${item.nextAttemptAt}: ${item.lastError}`);
  }
  io.out(items.length === 0 ? 'no stalled processes' : `${items.length} stalled process${items.length === 1 ? '' : 'es'}`);
  return EXIT.ok;
}

/**
 * `jxc processes retry <orderId>`: runs the order's process once, from this process, against the store.
 * Safe beside the running service: every step is idempotent and appended with an exact expected revision.
 * Exit 0 when the process has nothing left to do (its `stalled_processes` document is removed), 1 when a
 * step still fails (one line saying why; the service keeps retrying it), 2 for an unknown order.
 */
export async function retryProcess(stores: Stores, io: Output, orderId: string): Promise<number> {
  const runner = new OrderProcessRunner(new AggregateRepository(stores.events), stores.events);
  const states = await runner.loadStates(orderId);
  if (states.order.state === null) throw usageError(`no order ${orderId}`);
  const correlationId = newId();
  const outcome = await runner.attempt(orderId, { correlationId, causationId: correlationId, now: new Date().toISOString() });
  if (!outcome.settled) {
    const at = outcome.step ? `${outcome.step.command} on ${outcome.step.streamId}` : 'reading its states';
    io.out(`order ${orderId}: still stalled: ${at} failed: ${shortError(outcome.error)}`);
    return EXIT.failed;
  }
  await stores.views.ensureView(STALLED_PROCESSES_VIEW);
  await stores.views.writeBatch(STALLED_PROCESSES_VIEW.name, [{ type: 'delete', id: stalledKey('order', orderId) }]);
  const steps = outcome.run.steps;
  io.out(`order ${orderId}: settled (${steps === 0 ? 'nothing left to do' : `${steps} step${steps === 1 ? '' : 's'} run`}), status ${outcome.run.states.order.state?.status ?? 'unknown'}`);
  return EXIT.ok;
}
