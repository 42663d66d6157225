import fc from 'fast-check';
import { type Context } from '../../domain/shared/context.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { orderStream, paymentStream, stockStream } from '../../domain/shared/streams.js';
import { type Initiator, type Order, type OrderCommand, paymentTerms, type ReturnCondition } from '../../domain/order/index.js';
import { type AggregateCommand, type InMemoryLedger } from './process-runner.js';
import { asUser } from './decider-spec.js';

/**
 * Random user actions on a few orders sharing a few stock positions, as data (fast-check shrinks them), and how
 * to perform each one on an in-memory ledger. Refusals are part of life: `perform` swallows domain errors.
 */

export const SKUS = ['TEA-1', 'CUP-1', 'PLATE-1'];
/** Skus sale and purchase orders are placed with; amendments may add the others. */
const PLACED_SKUS = ['TEA-1', 'CUP-1'];
const SALE_IDS = ['s1', 's2', 's3'];
const PURCHASE_IDS = ['p1', 'p2'];
export const ORDER_IDS = [...SALE_IDS, ...PURCHASE_IDS];
const PRICE = 1000;

const people: Record<string, Context> = {
  carol: asUser('carol', 'clerk'),
  dave: asUser('dave', 'clerk'),
  alice: asUser('alice', 'approver'),
  wendy: asUser('wendy', 'warehouse'),
  fiona: asUser('fiona', 'finance'),
};

type SkuQuantity = { sku: string; quantity: number };
type OrderVerb = 'process' | 'shipAll' | 'deliverAll' | 'withdraw' | 'approve' | 'reject' | 'hold' | 'release' | 'closeReturns' | 'returnAll';

export type Action =
  | { kind: 'stock'; sku: string; quantity: number }
  | { kind: 'count'; sku: string; counted: number }
  | { kind: 'place'; orderId: string; lines: SkuQuantity[] }
  | { kind: 'pay'; orderId: string; part: 'outstanding' | 'over' | 'some'; amount: number }
  | { kind: 'order'; orderId: string; who: string; verb: OrderVerb; condition: ReturnCondition }
  | { kind: 'shipPart'; orderId: string; sku: string; quantity: number }
  | { kind: 'deliverOne'; orderId: string; shipment: number }
  | { kind: 'request'; orderId: string; who: string; initiatedBy: Initiator; scope: 'whole' | 'remainder' | 'lines'; sku: string; quantity: number; approve: boolean }
  | { kind: 'amend'; orderId: string; who: string; changes: SkuQuantity[] }
  | { kind: 'customerReturn'; orderId: string; sku: string; quantity: number }
  | { kind: 'receiveReturn'; orderId: string; sku: string; quantity: number; condition: ReturnCondition; returnNo: number }
  | { kind: 'receive'; orderId: string; sku: string; quantity: number }
  | { kind: 'purchaseReturn'; orderId: string; sku: string; quantity: number }
  /** The next process run stops after this many steps, as a crash would; recovery comes later. */
  | { kind: 'crash'; afterSteps: number }
  /** One of the steps run so far runs again (a duplicate delivery, or a late one from another runner). */
  | { kind: 'rerun'; pick: number };

const anySale = fc.constantFrom(...SALE_IDS);
const anyPurchase = fc.constantFrom(...PURCHASE_IDS);
const anySku = fc.constantFrom(...SKUS);
const small = fc.integer({ min: 1, max: 3 });
const condition = fc.constantFrom<ReturnCondition>('resellable', 'damaged');
const placedLines = fc.uniqueArray(fc.record({ sku: fc.constantFrom(...PLACED_SKUS), quantity: fc.integer({ min: 1, max: 4 }) }), {
  minLength: 1,
  maxLength: 2,
  selector: (line) => line.sku,
});
const who = (usual: string, ...rare: string[]) => fc.oneof({ arbitrary: fc.constant(usual), weight: 5 }, { arbitrary: fc.constantFrom(usual, ...rare), weight: 1 });
const verb = (name: OrderVerb, orders: fc.Arbitrary<string>, people: fc.Arbitrary<string>, weight: number) => ({
  arbitrary: fc.record({ kind: fc.constant('order' as const), orderId: orders, who: people, verb: fc.constant(name), condition }),
  weight,
});

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('stock' as const), sku: anySku, quantity: fc.integer({ min: 1, max: 6 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('count' as const), sku: anySku, counted: fc.integer({ min: 0, max: 10 }) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      orderId: fc.constantFrom(...ORDER_IDS),
      part: fc.constantFrom('outstanding' as const, 'outstanding' as const, 'over' as const, 'some' as const),
      amount: fc.integer({ min: 1, max: 3000 }),
    }),
    weight: 4,
  },
  verb('process', anySale, who('wendy'), 1),
  verb('shipAll', anySale, who('wendy'), 3),
  verb('deliverAll', anySale, who('wendy'), 4),
  verb('approve', fc.constantFrom(...ORDER_IDS), who('alice', 'carol'), 2),
  verb('reject', fc.constantFrom(...ORDER_IDS), who('alice'), 1),
  verb('withdraw', fc.constantFrom(...ORDER_IDS), who('carol', 'dave'), 1),
  verb('hold', fc.constantFrom(...ORDER_IDS), who('wendy'), 1),
  verb('release', fc.constantFrom(...ORDER_IDS), who('wendy'), 5),
  verb('closeReturns', anySale, who('wendy'), 1),
  verb('returnAll', anySale, who('wendy'), 4),
  { arbitrary: fc.record({ kind: fc.constant('shipPart' as const), orderId: anySale, sku: anySku, quantity: small }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('deliverOne' as const), orderId: anySale, shipment: fc.integer({ min: 1, max: 3 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      orderId: fc.constantFrom(...ORDER_IDS),
      who: who('carol', 'dave'),
      initiatedBy: fc.constantFrom<Initiator>('customer', 'company', 'supplier'),
      scope: fc.constantFrom('whole' as const, 'remainder' as const, 'lines' as const, 'lines' as const),
      sku: anySku,
      quantity: small,
      approve: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      orderId: anySale,
      who: who('carol', 'dave'),
      changes: fc.uniqueArray(fc.record({ sku: anySku, quantity: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 2, selector: (line) => line.sku }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('customerReturn' as const), orderId: anySale, sku: anySku, quantity: small }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('receiveReturn' as const), orderId: anySale, sku: anySku, quantity: small, condition, returnNo: fc.constantFrom(0, 0, 1, 2, 3) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('receive' as const), orderId: anyPurchase, sku: fc.constantFrom(...PLACED_SKUS), quantity: fc.integer({ min: 1, max: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('purchaseReturn' as const), orderId: anyPurchase, sku: anySku, quantity: small }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('crash' as const), afterSteps: fc.integer({ min: 0, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('rerun' as const), pick: fc.nat() }), weight: 2 },
);

/** Opening stock and every order placed first, then the random life of the orders. */
export const story: fc.Arbitrary<Action[]> = fc
  .tuple(
    fc.tuple(...PLACED_SKUS.map((sku) => fc.integer({ min: 3, max: 16 }).map((quantity): Action => ({ kind: 'stock', sku, quantity })))),
    fc.tuple(...ORDER_IDS.map((orderId) => placedLines.map((lines): Action => ({ kind: 'place', orderId, lines })))),
    fc.array(action, { minLength: 20, maxLength: 130, size: 'max' }),
  )
  .map(([stock, placements, rest]) => [...stock, ...placements, ...rest]);

type OrderAction = Exclude<Action, { kind: 'crash' } | { kind: 'rerun' }>;

/** Runs the user's action; refusals are part of life. Returns the order whose process should run, if any. */
export function perform(ledger: InMemoryLedger, act: OrderAction): string | null {
  try {
    const target = commandOf(ledger, act);
    if (target === null) return null;
    const [streamId, command, context] = target;
    ledger.execute(streamId, command, context);
    return 'orderId' in act ? act.orderId : null;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return null;
  }
}

type Target = [streamId: string, command: AggregateCommand, context: Context];
const onOrder = (command: OrderCommand, who = 'wendy'): Target => [orderStream(command.orderId), { aggregate: 'order', command }, people[who]];

function commandOf(ledger: InMemoryLedger, act: OrderAction): Target | null {
  switch (act.kind) {
    case 'stock':
      return [stockStream('main', act.sku), { aggregate: 'stock', command: { type: 'ReceiveStock', warehouseId: 'main', sku: act.sku, quantity: act.quantity } }, people.wendy];
    case 'count':
      return [stockStream('main', act.sku), { aggregate: 'stock', command: { type: 'CountStock', warehouseId: 'main', sku: act.sku, countedQuantity: act.counted, reason: 'count' } }, people.wendy];
    case 'place': {
      const kind = SALE_IDS.includes(act.orderId) ? 'sale' : 'purchase';
      const lines = act.lines.map((line) => ({ ...line, unitPrice: PRICE }));
      return onOrder({ type: 'PlaceOrder', orderId: act.orderId, kind, partyId: 'party', warehouseId: 'main', currency: 'CNY', lines }, 'carol');
    }
    case 'pay':
      return payment(ledger.order(act.orderId), ledger, act);
    case 'order':
      return orderVerb(ledger.order(act.orderId), act);
    default:
      return partsCommand(ledger.order(act.orderId), act);
  }
}

function payment(order: Order | null, ledger: InMemoryLedger, act: Extract<Action, { kind: 'pay' }>): Target | null {
  if (order === null) return null;
  const terms = paymentTerms(order);
  const money = ledger.payment(act.orderId);
  const outstanding = terms.total - (order.kind === 'sale' ? money.paid - money.refunded : money.deposits);
  // `over`: one minor unit more than outstanding, which must be refused.
  const amount = act.part === 'some' ? act.amount : outstanding + (act.part === 'over' ? 1 : 0);
  if (amount <= 0) return null;
  return [paymentStream(act.orderId), { aggregate: 'payment', command: { type: 'RecordPayment', orderId: act.orderId, amount, method: 'card', terms } }, people.fiona];
}

function orderVerb(order: Order | null, act: Extract<Action, { kind: 'order' }>): Target | null {
  const { orderId } = act;
  switch (act.verb) {
    case 'process': return onOrder({ type: 'ProcessOrder', orderId }, act.who);
    case 'shipAll': return onOrder({ type: 'ShipOrder', orderId }, act.who);
    case 'deliverAll': return onOrder({ type: 'DeliverOrder', orderId }, act.who);
    case 'withdraw': return onOrder({ type: 'WithdrawCancellation', orderId }, act.who);
    case 'reject': return onOrder({ type: 'RejectCancellation', orderId, reason: 'no' }, act.who);
    case 'approve': return onOrder(approval(order, orderId), act.who);
    case 'hold': return onOrder({ type: 'HoldOrder', orderId, reason: 'check' }, act.who);
    case 'release': return onOrder({ type: 'ReleaseHold', orderId }, act.who);
    case 'closeReturns': return onOrder({ type: 'CloseReturns', orderId, reason: 'gone' }, act.who);
    case 'returnAll': {
      const lines = (order?.lines ?? []).filter((line) => line.returnPending > 0).map((line) => ({ sku: line.sku, quantity: line.returnPending, condition: act.condition }));
      return onOrder({ type: 'ReceiveReturn', orderId, lines }, act.who);
    }
  }
}

const approval = (order: Order | null, orderId: string): OrderCommand =>
  order?.kind === 'purchase'
    ? { type: 'ApproveCancellation', orderId, penalty: { amount: 100, payer: 'company' } }
    : { type: 'ApproveCancellation', orderId, refundMethod: 'cash' };

function partsCommand(order: Order | null, act: Exclude<OrderAction, { kind: 'stock' | 'count' | 'place' | 'pay' | 'order' }>): Target | null {
  const { orderId } = act;
  switch (act.kind) {
    case 'shipPart': return onOrder({ type: 'ShipOrder', orderId, lines: [{ sku: act.sku, quantity: act.quantity }] });
    case 'deliverOne': return onOrder({ type: 'DeliverOrder', orderId, shipmentId: `S${act.shipment}` });
    case 'request': return onOrder(cancellationRequest(act), act.who);
    case 'amend': {
      const lines = (order?.lines ?? []).map(({ sku, quantity, unitPrice }) => ({ sku, quantity: act.changes.find((change) => change.sku === sku)?.quantity ?? quantity, unitPrice }));
      const added = act.changes.filter((change) => !lines.some((line) => line.sku === change.sku)).map((change) => ({ ...change, unitPrice: PRICE }));
      return onOrder({ type: 'AmendOrder', orderId, lines: [...lines, ...added], reason: 'customer called' }, act.who);
    }
    case 'customerReturn': return onOrder({ type: 'RequestReturn', orderId, lines: [{ sku: act.sku, quantity: act.quantity }], reason: 'too many' }, 'carol');
    case 'receiveReturn': {
      const returnId = act.returnNo === 0 ? null : `R${act.returnNo}`;
      return onOrder({ type: 'ReceiveReturn', orderId, returnId, lines: [{ sku: act.sku, quantity: act.quantity, condition: act.condition }] });
    }
    case 'receive': return onOrder({ type: 'ReceiveGoods', orderId, lines: [{ sku: act.sku, quantity: act.quantity }] });
    case 'purchaseReturn': return onOrder({ type: 'ReturnToSupplier', orderId, lines: [{ sku: act.sku, quantity: act.quantity }], reason: 'faulty' });
  }
}

function cancellationRequest(act: Extract<Action, { kind: 'request' }>): OrderCommand {
  const part = act.scope === 'lines' ? { lines: [{ sku: act.sku, quantity: act.quantity }] } : act.scope === 'remainder' ? { scope: 'remainder' as const } : {};
  return { type: 'RequestCancellation', orderId: act.orderId, reason: 'because', initiatedBy: act.initiatedBy, ...part };
}

/** A request followed, when `approve` says so, by an approval from someone else. */
export function performRequest(ledger: InMemoryLedger, act: Extract<Action, { kind: 'request' }>): string | null {
  const requested = perform(ledger, act);
  if (!act.approve || requested === null) return requested;
  perform(ledger, { kind: 'order', orderId: act.orderId, who: 'alice', verb: 'approve', condition: 'resellable' });
  return requested;
}
