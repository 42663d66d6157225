import { evolve as evolveOrder } from '../order/evolve.js';
import { type OrderEvent } from '../order/events.js';
import { type Order } from '../order/state.js';
import { DEFAULT_CURRENCY } from '../shared/defaults.js';
import { type AccountCode } from './chart.js';

/**
 * The journal's posting rules (docs/journal.md): which accounts each business event debits and credits. Pure.
 *
 * An order's money is kept per order as one signed balance with its party (`owed`): for a sale what the customer
 * owes (debit: 1122 receivable while positive, 2203 advance while negative); for a purchase what the company owes
 * the supplier (credit: 2202 payable while positive, 1123 prepayment while negative). Every posting that moves
 * that balance moves it across the two accounts, so a payment before shipment is an advance and one after it
 * settles the receivable. Inventory (1405) moves only with the `value` of stock events, so its balance is the sum
 * of the stock positions' values; goods received on a purchase go through 1402 at the purchase price until the
 * stock receipt values them (the same amount).
 */

/** One line of a voucher: a signed amount (positive debit, negative credit) on an account, and the sku it concerns. */
export interface Posting {
  readonly account: AccountCode;
  readonly amount: number;
  readonly sku: string | null;
}

export interface JournalLine {
  readonly account: AccountCode;
  readonly debit: number;
  readonly credit: number;
  readonly sku: string | null;
}

/** What the rules remember of an order between its events. */
export interface OrderBook {
  readonly order: Order | null;
  /** Sale: minor units the customer owes (negative: paid in advance). Purchase: what the company owes the supplier. */
  readonly owed: number;
  /** The method of the latest customer payment (where a legacy `original` refund went back to). */
  readonly lastMethod: string | null;
}

export const EMPTY_BOOK: OrderBook = { order: null, owed: 0, lastMethod: null };

/** One voucher's content: what it says, its lines, its currency. */
export interface Entry {
  readonly summary: string;
  readonly currency: string;
  readonly postings: readonly Posting[];
}

/** The money account of a payment method: cash 1001, Alipay and WeChat Pay 1012, store credit 2241, anything else the bank 1002. */
function moneyAccount(method: string): AccountCode {
  if (method === 'cash') return '1001';
  if (method === 'store_credit') return '2241';
  if (method === 'alipay' || method === 'wechat' || method === 'wechat_pay') return '1012';
  return '1002';
}

/** Debits and credits of signed postings, same account and sku merged, zero lines dropped, debit lines first. */
export function journalLines(postings: readonly Posting[]): JournalLine[] {
  const merged = new Map<string, Posting>();
  for (const posting of postings) {
    const key = `${posting.account}|${posting.sku ?? ''}`;
    const before = merged.get(key);
    merged.set(key, { ...posting, amount: (before?.amount ?? 0) + posting.amount });
  }
  const lines: JournalLine[] = [];
  for (const { account, amount, sku } of merged.values()) {
    if (amount !== 0) lines.push({ account, debit: Math.max(amount, 0), credit: Math.max(-amount, 0), sku });
  }
  // Debits first, then credits (先借后贷, as a voucher is written), each in the order posted.
  return [...lines.filter((line) => line.debit > 0), ...lines.filter((line) => line.credit > 0)];
}

/**
 * The party's lines when its signed debit balance goes from `before` to `after`: the receivable-side account holds
 * the positive part (debit), the liability-side account the negative part (credit). Their net is `after - before`.
 */
function partyShift(before: number, after: number, asset: AccountCode, liability: AccountCode): Posting[] {
  return [
    { account: asset, amount: Math.max(after, 0) - Math.max(before, 0), sku: null },
    { account: liability, amount: Math.max(-before, 0) - Math.max(-after, 0), sku: null },
  ];
}

/** A sale's customer balance moves by `delta` (what the customer owes): 1122 / 2203. */
function customerMoves(book: OrderBook, delta: number): { book: OrderBook; postings: Posting[] } {
  const owed = book.owed + delta;
  return { book: { ...book, owed }, postings: partyShift(book.owed, owed, '1122', '2203') };
}

/** A purchase's supplier balance moves by `delta` (what the company owes): 2202 / 1123 (its debit balance is -owed). */
function supplierMoves(book: OrderBook, delta: number): { book: OrderBook; postings: Posting[] } {
  const owed = book.owed + delta;
  return { book: { ...book, owed }, postings: partyShift(-book.owed, -owed, '1123', '2202') };
}

const label = (book: OrderBook, orderId: string): string => book.order?.number ?? orderId;

/** An order event: revenue on shipment and its reversal on a return (sale), goods received and sent back at the purchase price. */
export function postOrderEvent(book: OrderBook, event: OrderEvent): { book: OrderBook; entry: Entry | null } {
  const order = evolveOrder(book.order, event);
  const next: OrderBook = { ...book, order };
  const before = book.order;
  if (order === null || before === null) return { book: next, entry: null };
  const postings: Posting[] = [];
  let delta = 0;
  for (const line of order.lines) {
    const was = before.lines.find((candidate) => candidate.sku === line.sku);
    const moved = order.kind === 'sale'
      ? line.shipped - (was?.shipped ?? 0) - (line.returnedResellable + line.returnedDamaged - (was?.returnedResellable ?? 0) - (was?.returnedDamaged ?? 0))
      : line.received - (was?.received ?? 0) - (line.returnedToSupplier - (was?.returnedToSupplier ?? 0));
    if (moved === 0) continue;
    const amount = moved * line.unitPrice;
    delta += amount;
    postings.push(order.kind === 'sale' ? { account: '6001', amount: -amount, sku: line.sku } : { account: '1402', amount, sku: line.sku });
  }
  if (postings.length === 0) return { book: next, entry: null };
  const party = order.kind === 'sale' ? customerMoves(next, delta) : supplierMoves(next, delta);
  const what = order.kind === 'sale' ? (delta >= 0 ? 'goods shipped' : 'goods returned by the customer') : (delta >= 0 ? 'goods received' : 'goods returned to the supplier');
  return { book: party.book, entry: { summary: `${label(book, order.orderId)} ${what}`, currency: order.currency, postings: [...postings, ...party.postings] } };
}

interface MoneyData {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly method?: string;
  readonly payer?: string;
}

/** A payment stream event: customer payments and refunds, payments to and refunds from suppliers, penalties. Freezes of funds post nothing. */
export function postPaymentEvent(book: OrderBook, type: string, data: MoneyData): { book: OrderBook; entry: Entry | null } {
  const { amount, currency, orderId } = data;
  const method = data.method ?? 'bank_transfer';
  const name = label(book, orderId);
  const entry = (summary: string, moves: { book: OrderBook; postings: Posting[] }, other: Posting) =>
    ({ book: moves.book, entry: { summary: `${name} ${summary}`, currency, postings: [other, ...moves.postings] } });
  switch (type) {
    case 'PaymentReceived':
      return entry(`payment received (${method})`, customerMoves({ ...book, lastMethod: method }, -amount), { account: moneyAccount(method), amount, sku: null });
    case 'RefundIssued': {
      const route = method === 'original' ? (book.lastMethod ?? 'bank_transfer') : method;
      return entry(`refund (${method})`, customerMoves(book, amount), { account: moneyAccount(route), amount: -amount, sku: null });
    }
    case 'DepositPaid':
      return entry(`paid to the supplier (${method})`, supplierMoves(book, -amount), { account: moneyAccount(method), amount: -amount, sku: null });
    case 'SupplierRefundReceived':
      return entry(`refund from the supplier (${method})`, supplierMoves(book, amount), { account: moneyAccount(method), amount, sku: null });
    case 'PenaltyRecorded':
      return data.payer === 'supplier'
        ? entry('penalty paid by the supplier', supplierMoves(book, -amount), { account: '6301', amount: -amount, sku: null })
        : entry('penalty paid by the company', supplierMoves(book, amount), { account: '6711', amount, sku: null });
    default:
      return { book, entry: null };
  }
}

interface StockData {
  readonly sku: string;
  readonly quantity?: number;
  readonly orderId?: string | null;
  readonly value?: unknown;
  readonly currency?: unknown;
}

/**
 * A stock event that carries its `value` (cost in minor units of the business currency): inventory 1405 against
 * the account its cause belongs to. Events without a value (stored before stock was valued, reservations,
 * thresholds, arrivals announced in transit) post nothing. `book` gives a purchase return its purchase price.
 */
export function postStockEvent(book: OrderBook | null, type: string, data: StockData): Entry | null {
  if (typeof data.value !== 'number' || data.value === 0) return null;
  const value = data.value;
  const { sku } = data;
  const currency = typeof data.currency === 'string' ? data.currency : (book?.order?.currency ?? DEFAULT_CURRENCY);
  const of = typeof data.orderId === 'string' ? ` for ${book === null ? data.orderId : label(book, data.orderId)}` : '';
  const pair = (summary: string, debit: AccountCode, credit: AccountCode): Entry =>
    ({ summary: `${sku} ${summary}${of}`, currency, postings: [{ account: debit, amount: value, sku }, { account: credit, amount: -value, sku }] });
  switch (type) {
    case 'StockReceived':
      return typeof data.orderId === 'string' ? pair('received into stock', '1405', '1402') : pair('received into stock (opening or manual)', '1405', '4001');
    case 'StockShipped':
      return pair('cost of goods shipped', '6401', '1405');
    case 'StockReturned':
      return pair('back in stock from a customer return', '1405', '6401');
    case 'StockIssued':
      return pair('issued from stock', '6602', '1405');
    case 'StockTransferredOut':
      return pair('transferred out, in transit', '1402', '1405');
    case 'StockTransferReceived':
      return pair('transfer received', '1405', '1402');
    case 'StockAdjusted':
      // Signed: a gain debits 1405 (credit 6301), a loss credits it (debit 6711).
      return value > 0 ? pair('stocktake gain', '1405', '6301') : pair('stocktake loss', '1405', '6711');
    case 'StockReturnedToSupplier':
      return purchaseReturn(book, sku, data.quantity ?? 0, value, `${sku} returned to the supplier${of}`, currency);
    default:
      return null;
  }
}

/** Goods back to the supplier: out of inventory at their value, against 1402 at the purchase price; the difference is cost (6401). */
function purchaseReturn(book: OrderBook | null, sku: string, quantity: number, value: number, summary: string, currency: string): Entry {
  const price = book?.order?.lines.find((line) => line.sku === sku)?.unitPrice;
  const atPrice = price === undefined ? value : price * quantity;
  return {
    summary,
    currency,
    postings: [{ account: '1402', amount: atPrice, sku }, { account: '6401', amount: value - atPrice, sku }, { account: '1405', amount: -value, sku }],
  };
}

interface CreditData {
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly source?: string;
  readonly reason?: string;
}

/**
 * Store credit (2241, a debt to the customer): a goodwill or manual grant is a selling expense (6601); credit that
 * expires unspent is income (6301). A grant from a refund was posted by the refund (method store_credit), and a
 * spend by the payment it became (method store_credit): they post nothing here.
 */
export function postCreditEvent(type: string, data: CreditData): Entry | null {
  const { amount, currency, customerId } = data;
  if (type === 'CreditGranted' && data.source !== 'refund') {
    return { summary: `store credit granted to ${customerId}${data.reason ? `: ${data.reason}` : ''}`, currency, postings: [{ account: '6601', amount, sku: null }, { account: '2241', amount: -amount, sku: null }] };
  }
  if (type === 'CreditExpired') {
    return { summary: `store credit of ${customerId} expired`, currency, postings: [{ account: '2241', amount, sku: null }, { account: '6301', amount: -amount, sku: null }] };
  }
  return null;
}
