import { type OrderView } from './orders.js';

/**
 * Analytics over the `orders` view (API.md "Integrations, imports, exports, analytics"): sales and
 * cancellations grouped by day, ISO week, sku, customer, reason or initiator, and a customer's totals.
 * Pure: the business time zone comes in as `localDay` (an ISO time → its `YYYY-MM-DD` in that zone),
 * which the application builds from `JXC_BUSINESS_TZ`. Orders are added one at a time, so memory is
 * bounded by the number of groups, not of orders. Money is in minor units, one group per currency.
 */
export type LocalDay = (isoTime: string) => string;

export type SalesGrouping = 'day' | 'week' | 'sku' | 'customer';
export type CancellationGrouping = 'reason' | 'initiator' | 'week' | 'sku';

export interface SalesGroup {
  readonly key: string;
  readonly currency: string;
  /** Units sold: ordered, less cancelled, less returned by the customer. */
  readonly quantity: number;
  /** Those units at the order's line prices (minor units of `currency`). */
  readonly value: number;
  /** Orders with at least one unit sold in the group. */
  readonly orders: number;
}

export interface CancellationGroup {
  readonly key: string;
  readonly currency: string;
  /** Orders of the group whose (latest) cancellation was approved. */
  readonly count: number;
  /** Orders placed in the group (for `reason` and `initiator`: every order of the period). */
  readonly orders: number;
  /** `count / orders`, rounded to 4 decimal places; 0 when no orders. */
  readonly rate: number;
  /** Refunded on the cancelled orders (minor units); per sku, split over the cancelled lines by their value. */
  readonly refunded: number;
}

/** The ISO 8601 week of a calendar day (`2026-12-01` → `2026-W49`): weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const utc = Date.UTC(year, month - 1, date);
  const weekday = (new Date(utc).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(utc + (3 - weekday) * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS / 7) + 1;
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;

/** Units of each line the customer keeps (or will keep): not cancelled, not returned. Never negative. */
function soldQuantity(line: OrderView['lines'][number]): number {
  return Math.max(0, line.quantity - line.cancelled - line.returned);
}

/** Sales of sale orders placed in the period (the caller selects them by `placedAt`); rejected orders sold nothing. */
export class SalesTally {
  private readonly groups = new Map<string, { key: string; currency: string; quantity: number; value: number; orders: number }>();

  constructor(
    private readonly groupBy: SalesGrouping,
    private readonly localDay: LocalDay,
  ) {}

  add(order: OrderView): void {
    if (order.kind !== 'sale' || order.status === 'rejected') return;
    const touched = new Set<string>();
    for (const line of order.lines) {
      const quantity = soldQuantity(line);
      if (quantity === 0) continue;
      const key = this.keyOf(order, line.sku);
      const id = `${key}\u0000${order.currency}`;
      const group = this.groups.get(id) ?? { key, currency: order.currency, quantity: 0, value: 0, orders: 0 };
      group.quantity += quantity;
      group.value += quantity * line.unitPrice;
      if (!touched.has(id)) group.orders += 1;
      touched.add(id);
      this.groups.set(id, group);
    }
  }

  /** Days and weeks in time order; skus and customers by value, highest first. */
  result(): SalesGroup[] {
    const groups = [...this.groups.values()];
    return this.groupBy === 'day' || this.groupBy === 'week' ? groups.sort(byKeyThenCurrency) : groups.sort((a, b) => b.value - a.value || byKeyThenCurrency(a, b));
  }

  private keyOf(order: OrderView, sku: string): string {
    switch (this.groupBy) {
      case 'day':
        return this.localDay(order.placedAt);
      case 'week':
        return isoWeek(this.localDay(order.placedAt));
      case 'sku':
        return sku;
      case 'customer':
        return order.partyId;
    }
  }
}

/**
 * Cancellations among the orders placed in the period (a cohort, so `rate` is a share of those orders): an order
 * counts once, when its latest cancellation request was approved, whatever its scope (whole, lines, remainder).
 */
export class CancellationTally {
  private readonly groups = new Map<string, { key: string; currency: string; count: number; orders: number; refunded: number }>();
  /** reason and initiator: the orders of the whole period per currency, the denominator of every group. */
  private readonly placed = new Map<string, number>();

  constructor(
    private readonly groupBy: CancellationGrouping,
    private readonly localDay: LocalDay,
  ) {}

  add(order: OrderView): void {
    if (order.status === 'rejected') return;
    const cancellation = order.cancellation?.state === 'approved' ? order.cancellation : null;
    if (this.groupBy === 'reason' || this.groupBy === 'initiator') {
      this.placed.set(order.currency, (this.placed.get(order.currency) ?? 0) + 1);
      if (cancellation === null) return;
      const group = this.group(this.groupBy === 'reason' ? cancellation.reason : cancellation.initiatedBy, order.currency);
      group.count += 1;
      group.refunded += order.refunded;
      return;
    }
    if (this.groupBy === 'week') {
      const group = this.group(isoWeek(this.localDay(order.placedAt)), order.currency);
      group.orders += 1;
      if (cancellation === null) return;
      group.count += 1;
      group.refunded += order.refunded;
      return;
    }
    const skus = [...new Set(order.lines.map((line) => line.sku))];
    for (const sku of skus) this.group(sku, order.currency).orders += 1;
    if (cancellation === null) return;
    const shares = refundShares(order);
    for (const [sku, refunded] of shares) {
      const group = this.group(sku, order.currency);
      group.count += 1;
      group.refunded += refunded;
    }
  }

  /** Weeks in time order; reasons, initiators and skus by count, highest first. */
  result(): CancellationGroup[] {
    const groups = [...this.groups.values()].map((group) => {
      const orders = this.groupBy === 'reason' || this.groupBy === 'initiator' ? (this.placed.get(group.currency) ?? 0) : group.orders;
      return { key: group.key, currency: group.currency, count: group.count, orders, rate: orders === 0 ? 0 : Math.round((group.count / orders) * 10_000) / 10_000, refunded: group.refunded };
    });
    return this.groupBy === 'week' ? groups.sort(byKeyThenCurrency) : groups.sort((a, b) => b.count - a.count || byKeyThenCurrency(a, b));
  }

  private group(key: string, currency: string) {
    const id = `${key}\u0000${currency}`;
    let group = this.groups.get(id);
    if (group === undefined) {
      group = { key, currency, count: 0, orders: 0, refunded: 0 };
      this.groups.set(id, group);
    }
    return group;
  }
}

/**
 * The skus an approved cancellation took (its cancelled units and those sent back through a return; every line of
 * the order when it names none, as a purchase's does) and the order's refund split over them by their value at the
 * line prices: integers summing to the refund exactly (largest remainder, ties to the earlier line).
 */
export function refundShares(order: OrderView): Map<string, number> {
  const cancellation = order.cancellation;
  const priceOf = (sku: string): number => order.lines.find((line) => line.sku === sku)?.unitPrice ?? 0;
  const taken = new Map<string, number>();
  for (const line of [...(cancellation?.cancelledLines ?? []), ...(cancellation?.returnLines ?? [])]) {
    taken.set(line.sku, (taken.get(line.sku) ?? 0) + line.quantity * priceOf(line.sku));
  }
  if (taken.size === 0) for (const line of order.lines) taken.set(line.sku, (taken.get(line.sku) ?? 0) + line.quantity * line.unitPrice);
  const total = [...taken.values()].reduce((sum, value) => sum + value, 0);
  const shares = new Map<string, number>();
  if (total === 0) {
    // Nothing of value was taken: the whole refund goes to the first sku, the others count with 0.
    [...taken.keys()].forEach((sku, index) => shares.set(sku, index === 0 ? order.refunded : 0));
    return shares;
  }
  const remainders: { sku: string; remainder: number; index: number }[] = [];
  let given = 0;
  [...taken.entries()].forEach(([sku, value], index) => {
    const exact = order.refunded * value;
    const share = Math.floor(exact / total);
    shares.set(sku, share);
    given += share;
    remainders.push({ sku, remainder: exact - share * total, index });
  });
  remainders.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let i = 0; i < order.refunded - given; i += 1) {
    const { sku } = remainders[i % remainders.length]!;
    shares.set(sku, shares.get(sku)! + 1);
  }
  return shares;
}

export interface CustomerTotals {
  /** The currency of the money fields: that of the customer's latest order (`CNY` when there is none). */
  readonly currency: string;
  /** Sale orders, rejected ones excepted (all currencies). */
  readonly orders: number;
  /** Of those, orders whose latest cancellation was approved (whole or in part). */
  readonly cancelled: number;
  readonly paid: number;
  readonly refunded: number;
  /** Store credit the customer can spend now, in `currency` (from its credit ledger, not from the orders). */
  readonly credit: number;
  /** `paid − refunded`: what the customer has spent and kept spent. */
  readonly lifetimeValue: number;
}

export type CurrencyTotals = Omit<CustomerTotals, 'credit'>;

/** A customer's totals over its sale orders, added newest first: money in the latest order's currency, and per currency. */
export class CustomerTotalsTally {
  private readonly perCurrency = new Map<string, { currency: string; orders: number; cancelled: number; paid: number; refunded: number; lifetimeValue: number }>();
  private latestCurrency: string | undefined;

  add(order: OrderView): void {
    if (order.kind !== 'sale' || order.status === 'rejected') return;
    this.latestCurrency ??= order.currency;
    const entry = this.perCurrency.get(order.currency) ?? { currency: order.currency, orders: 0, cancelled: 0, paid: 0, refunded: 0, lifetimeValue: 0 };
    entry.orders += 1;
    if (order.cancellation?.state === 'approved') entry.cancelled += 1;
    entry.paid += order.paid;
    entry.refunded += order.refunded;
    entry.lifetimeValue += order.paid - order.refunded;
    this.perCurrency.set(order.currency, entry);
  }

  /** The totals over the orders added; `credit` is the caller's to fill in (the ledger is not an order view). */
  result(): { totals: Omit<CustomerTotals, 'credit'>; byCurrency: CurrencyTotals[] } {
    const byCurrency = [...this.perCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
    const currency = this.latestCurrency ?? 'CNY';
    const main = this.perCurrency.get(currency);
    return {
      totals: {
        currency,
        orders: byCurrency.reduce((sum, entry) => sum + entry.orders, 0),
        cancelled: byCurrency.reduce((sum, entry) => sum + entry.cancelled, 0),
        paid: main?.paid ?? 0,
        refunded: main?.refunded ?? 0,
        lifetimeValue: main?.lifetimeValue ?? 0,
      },
      byCurrency,
    };
  }
}

function byKeyThenCurrency(a: { key: string; currency: string }, b: { key: string; currency: string }): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
}
