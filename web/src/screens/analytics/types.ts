// The analytics answers (API.md "Integrations, imports, exports, analytics") and what the screen derives
// from them. Money stays in integer minor units all the way to the chart: its axis and tooltip format the
// minor units as major units with the currency, so no amount is ever divided into a float.

export type CancellationGrouping = 'reason' | 'initiator' | 'week' | 'sku';
export type SalesGrouping = 'day' | 'week' | 'sku' | 'customer';

/** One group of `GET /api/analytics/cancellations`: `count` cancellations of `orders` placed, their refunds. */
export interface CancellationGroup {
  readonly key: string;
  readonly count: number;
  readonly orders: number;
  /** `count / orders`, rounded to 4 decimal places. */
  readonly rate: number;
  /** Refunded value, minor units of `currency`. */
  readonly refunded: number;
  readonly currency?: string;
}

/** One group of `GET /api/analytics/sales`. */
export interface SalesGroup {
  readonly key: string;
  readonly quantity: number;
  /** Minor units of `currency`. */
  readonly value: number;
  readonly orders: number;
  readonly currency?: string;
}

/** Both answers: the groups, and the period and business time zone they were counted in. */
export interface Groups<T> {
  readonly timeZone: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly groups: readonly T[];
}

/** The API's default currency, for a group that names none. */
const DEFAULT_CURRENCY = 'CNY';

export const currencyOf = (group: { readonly currency?: string }): string => group.currency ?? DEFAULT_CURRENCY;

/** The currencies of these groups, in order of first appearance (one money series per currency). */
function currenciesOf(groups: readonly { readonly currency?: string }[]): string[] {
  return [...new Set(groups.map(currencyOf))];
}

/** Time buckets (days, ISO weeks) read left to right in time order; other groupings keep the API's order. */
export function inChartOrder<T extends { readonly key: string }>(groups: readonly T[], byTime: boolean): T[] {
  return byTime ? [...groups].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) : [...groups];
}

/**
 * The distinct keys of the groups, in order, and per currency the value of each key (0 where a key has
 * none in that currency): the categories and series of a money chart where groups are split by currency.
 */
export function moneySeries<T extends { readonly key: string; readonly currency?: string }>(
  groups: readonly T[],
  amount: (group: T) => number,
): { keys: string[]; series: { currency: string; values: number[] }[] } {
  const keys = [...new Set(groups.map((group) => group.key))];
  const series = currenciesOf(groups).map((currency) => ({
    currency,
    values: keys.map((key) => groups.filter((group) => group.key === key && currencyOf(group) === currency).reduce((sum, group) => sum + amount(group), 0)),
  }));
  return { keys, series };
}

/** The count per key (summed over currencies when a key is split by currency). */
export function countSeries<T extends { readonly key: string }>(groups: readonly T[], count: (group: T) => number): { keys: string[]; values: number[] } {
  const keys = [...new Set(groups.map((group) => group.key))];
  return { keys, values: keys.map((key) => groups.filter((group) => group.key === key).reduce((sum, group) => sum + count(group), 0)) };
}

/** `0.125` -> `12.5%` (zh-CN the same); null (no order placed in the group) -> `—`. */
export function formatRate(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A period of calendar days `[first, last]` as `YYYY-MM-DD`, or null for everything recorded. */
export type Period = readonly [string, string] | null;

/** The calendar day after `day` (`YYYY-MM-DD`). */
function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, date! + 1)).toISOString().slice(0, 10);
}

/**
 * A period picked as calendar days, both included -> the API's `from` (that day's start) and `to` (exclusive:
 * the start of the day after the last); the API reads a day alone in its business time zone.
 */
export function periodQuery(period: Period | undefined): { from?: string; to?: string } {
  if (!period) return {};
  return { from: period[0], to: nextDay(period[1]) };
}
