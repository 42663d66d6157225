import { expect } from '@jest/globals';
import { type Context } from '../../domain/shared/context.js';
import { orderStream, paymentStream, stockStream } from '../../domain/shared/streams.js';
import { type OrderCommand, type OrderLineInput, paymentTerms } from '../../domain/order/index.js';
import { asUser } from './decider-spec.js';
import { type AggregateCommand, InMemoryLedger, runOrderProcess } from './process-runner.js';

/**
 * Scenarios of orders and their processes for the process specs: users send commands, the order's process runs
 * to the end after each, and `run` can stop the processes after any number of steps (a crash) and recover.
 */

export const clerk = asUser('carol', 'clerk');
const approver = asUser('alice', 'approver');
export const warehouse = asUser('wendy', 'warehouse');
export const finance = asUser('fiona', 'finance');
export const system = asUser('system');

/** One step of a scenario: a command someone sends, or the order's process run to the end. */
export type Action =
  | { readonly kind: 'send'; readonly describe: string; readonly send: (ledger: InMemoryLedger) => void }
  | { readonly kind: 'process'; readonly orderId: string };

export interface Scenario {
  readonly name: string;
  readonly actions: readonly Action[];
  readonly orderIds: readonly string[];
}

const send = (streamId: (ledger: InMemoryLedger) => string, target: (ledger: InMemoryLedger) => AggregateCommand, context: Context, label: string): Action => ({
  kind: 'send',
  describe: label,
  send: (ledger) => {
    ledger.execute(streamId(ledger), target(ledger), context);
  },
});

export const receiveStock = (sku: string, quantity: number): Action =>
  send(() => stockStream('main', sku), () => ({ aggregate: 'stock', command: { type: 'ReceiveStock', warehouseId: 'main', sku, quantity } }), warehouse, `receive ${sku}`);

/** Another order takes `required` units of the shelf in all (as its reservation process would, at its version `asOf`). */
export const otherOrderTakes = (sku: string, required: number, asOf = 1): Action =>
  send(
    () => stockStream('main', sku),
    () => ({ aggregate: 'stock', command: { type: 'SetReservation', warehouseId: 'main', sku, orderId: 'other', required, asOf } }),
    system,
    `other order takes ${sku}`,
  );

export const onOrder = (command: OrderCommand, context: Context): Action[] => [
  send(() => orderStream(command.orderId), () => ({ aggregate: 'order', command }), context, command.type),
  { kind: 'process', orderId: command.orderId },
];

export const pay = (orderId: string, amount: number): Action[] => [
  send(
    () => paymentStream(orderId),
    (ledger) => ({ aggregate: 'payment', command: { type: 'RecordPayment', orderId, amount, method: 'card', terms: paymentTerms(ledger.order(orderId)!) } }),
    finance,
    `pay ${amount}`,
  ),
  { kind: 'process', orderId },
];

const TEA_AND_CUP: OrderLineInput[] = [
  { sku: 'TEA-1', quantity: 2, unitPrice: 1999 },
  { sku: 'CUP-1', quantity: 1, unitPrice: 500 },
];

export const placeSale = (orderId: string, lines = TEA_AND_CUP) =>
  onOrder({ type: 'PlaceOrder', orderId, kind: 'sale', partyId: 'cust-1', warehouseId: 'main', currency: 'CNY', lines }, clerk);

export const placePurchase = (orderId: string) =>
  onOrder({
    type: 'PlaceOrder',
    orderId,
    kind: 'purchase',
    partyId: 'supp-1',
    warehouseId: 'main',
    currency: 'CNY',
    lines: [{ sku: 'TEA-1', quantity: 10, unitPrice: 800 }, { sku: 'CUP-1', quantity: 4, unitPrice: 200 }],
  }, clerk);

export const requestCancellation = (
  orderId: string,
  initiatedBy: 'customer' | 'company' | 'supplier' = 'customer',
  part: Pick<Extract<OrderCommand, { type: 'RequestCancellation' }>, 'lines' | 'scope'> = {},
) => onOrder({ type: 'RequestCancellation', orderId, reason: 'changed mind', initiatedBy, ...part }, clerk);

export const approve = (orderId: string, extra: Partial<Extract<OrderCommand, { type: 'ApproveCancellation' }>> = {}) =>
  onOrder({ type: 'ApproveCancellation', orderId, ...extra }, approver);

/** Runs a scenario; with `crash`, the processes stop after that many steps in all, then recovery runs every order's. */
export function run(scenario: Scenario, crash?: { after: number; repeatLastStep: boolean }): InMemoryLedger {
  const ledger = new InMemoryLedger();
  let budget = crash?.after ?? Infinity;
  for (const action of scenario.actions) {
    if (action.kind === 'send') {
      action.send(ledger);
      continue;
    }
    const result = runOrderProcess(ledger, action.orderId, system, { maxSteps: budget });
    budget -= result.steps.length;
    if (result.completed) continue;
    // The crash: the last step's append may have landed without the runner knowing; recovery re-runs it.
    const last = result.steps.at(-1);
    if (crash?.repeatLastStep && last !== undefined) expect(ledger.runStep(last, system)).toEqual([]);
    for (const orderId of scenario.orderIds) runOrderProcess(ledger, orderId, system);
    budget = Infinity;
  }
  return ledger;
}

/** Sends the commands and runs the processes as the actions say, on the given ledger. */
export function play(ledger: InMemoryLedger, actions: readonly Action[]): InMemoryLedger {
  for (const action of actions) {
    if (action.kind === 'send') action.send(ledger);
    else runOrderProcess(ledger, action.orderId, system);
  }
  return ledger;
}

/** Sends the commands and runs nothing: the processes are left for the spec to run. */
export function sendOnly(ledger: InMemoryLedger, actions: readonly Action[]): void {
  for (const action of actions) if (action.kind === 'send') action.send(ledger);
}

/** Event types appended from the first event of `fromType` on (the whole log when there is none). */
export function typesFrom(ledger: InMemoryLedger, fromType: string): string[] {
  const types = ledger.log.map((entry) => entry.event.type);
  return types.slice(Math.max(0, types.indexOf(fromType)));
}

function totalSteps(scenario: Scenario): number {
  const ledger = new InMemoryLedger();
  let steps = 0;
  for (const action of scenario.actions) {
    if (action.kind === 'send') action.send(ledger);
    else steps += runOrderProcess(ledger, action.orderId, system).steps.length;
  }
  return steps;
}

/** `[name, crash after, steps in all, scenario]` for every step of every scenario, for `it.each`. */
export function crashCases(scenarios: readonly Scenario[]) {
  return scenarios.flatMap((scenario) => {
    const steps = totalSteps(scenario);
    return Array.from({ length: steps + 1 }, (_, after) => [scenario.name, after, steps, scenario] as const);
  });
}

/** A crash after any step, with or without the last step run again, ends where a run without a crash ends. */
export function expectCrashSafe(scenario: Scenario, after: number): void {
  const expected = run(scenario).snapshot();
  expect(run(scenario, { after, repeatLastStep: false }).snapshot()).toEqual(expected);
  expect(run(scenario, { after, repeatLastStep: true }).snapshot()).toEqual(expected);
}
