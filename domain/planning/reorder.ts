/**
 * Reorder planning (issue 13): pure functions, no clock. The caller passes the day it plans for (`asOf`).
 *
 * Quantities stay integers: daily demand is kept in thousandths of a unit per day (an integer, `…Milli`), the
 * safety stock, the reorder point and the suggestion are whole units rounded up. Only the standard deviation,
 * the square root of the lead time and the service level's z are real numbers, and their product is rounded up
 * to whole units before it meets any quantity.
 */

const MS_PER_DAY = 86_400_000;
const MILLI = 1000;

export interface PlanningParameters {
  /** Probability of not running out during a lead time, 0 < level < 1 (JXC_SERVICE_LEVEL, default 0.95). */
  readonly serviceLevel: number;
  /** Days of demand a suggestion covers beyond the reorder point (JXC_REORDER_REVIEW_DAYS, default 7). */
  readonly reviewDays: number;
  /** Lead time when neither the product nor any received purchase tells one (JXC_DEFAULT_LEAD_TIME_DAYS, default 7). */
  readonly defaultLeadTimeDays: number;
  /** Smoothing factor of the demand average, in thousandths (100: α = 0.1). */
  readonly alphaMilli: number;
  /** Days of sales the demand and its deviation are computed from, the current day included (90). */
  readonly windowDays: number;
}

export const DEFAULT_PLANNING: PlanningParameters = {
  serviceLevel: 0.95,
  reviewDays: 7,
  defaultLeadTimeDays: 7,
  alphaMilli: 100,
  windowDays: 90,
};

/** Units sold on one day (`YYYY-MM-DD`, UTC). */
export interface DailySales {
  readonly day: string;
  readonly quantity: number;
}

/** The UTC day (`YYYY-MM-DD`) of an ISO-8601 time. */
export function dayOf(isoTime: string): string {
  return new Date(isoTime).toISOString().slice(0, 10);
}

/** The day `days` days after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The first day of the window ending with `asOf` (included). */
export function windowStart(asOf: string, windowDays: number): string {
  return addDays(asOf, 1 - windowDays);
}

/**
 * Units sold per day, oldest first, from the first day with a sale inside the window ending with `asOf` through
 * `asOf` itself; days without sales count 0. Days before a SKU's first sale in the window are not demand history
 * (a new product is not averaged with the days it did not exist). Empty when nothing sold in the window.
 */
export function demandSeries(sales: readonly DailySales[], asOf: string, windowDays: number): number[] {
  const start = windowStart(asOf, windowDays);
  const byDay = new Map<string, number>();
  for (const sale of sales) {
    if (sale.day < start || sale.day > asOf || sale.quantity <= 0) continue;
    byDay.set(sale.day, (byDay.get(sale.day) ?? 0) + sale.quantity);
  }
  if (byDay.size === 0) return [];
  const first = [...byDay.keys()].reduce((min, day) => (day < min ? day : min));
  const series: number[] = [];
  for (let day = first; day <= asOf; day = addDays(day, 1)) series.push(byDay.get(day) ?? 0);
  return series;
}

/**
 * Exponentially weighted moving average of the daily quantities, in thousandths of a unit per day: it starts at the
 * series' mean and each day moves by α of the gap, `s ← s + round(α · (1000·x − s))`, in integers. 0 for no history.
 */
export function ewmaDemandMilli(series: readonly number[], alphaMilli: number): number {
  if (series.length === 0) return 0;
  let smoothed = Math.round((series.reduce((sum, quantity) => sum + quantity, 0) * MILLI) / series.length);
  for (const quantity of series) smoothed += Math.round((alphaMilli * (quantity * MILLI - smoothed)) / MILLI);
  return smoothed;
}

/**
 * The standard deviation of daily demand in units: the sample deviation of the series (sums kept in integers), or
 * with fewer than two days of history that of a Poisson demand of the same mean (√demand).
 */
export function demandDeviation(series: readonly number[], demandMilli: number): number {
  const n = series.length;
  if (n < 2) return Math.sqrt(demandMilli / MILLI);
  const sum = series.reduce((total, quantity) => total + quantity, 0);
  const squares = series.reduce((total, quantity) => total + quantity * quantity, 0);
  return Math.sqrt(Math.max(0, n * squares - sum * sum) / (n * (n - 1)));
}

/** Whole days from a purchase's placement to its first receipt of the SKU, rounded up, at least 1. */
export function measuredLeadTimeDays(placedAt: string, receivedAt: string): number {
  return Math.max(1, Math.ceil((Date.parse(receivedAt) - Date.parse(placedAt)) / MS_PER_DAY));
}

/** The product's lead time if set, else the median of the measured ones (the upper of the two middle ones), else the default. */
export function leadTimeDays(productLeadTimeDays: number | null, measured: readonly number[], defaultDays: number): number {
  if (productLeadTimeDays !== null && productLeadTimeDays > 0) return productLeadTimeDays;
  if (measured.length === 0) return defaultDays;
  const sorted = [...measured].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * z of a service level: the quantile of the standard normal distribution (Acklam's rational approximation, relative
 * error below 1.2e-9; a package cannot be imported by the pure domain).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a service level is between 0 and 1, got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tail = (q: number): number => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface ReorderInput {
  /** Units sold per day, oldest first, ending with the day planned for (`demandSeries`). */
  readonly series: readonly number[];
  readonly leadTimeDays: number;
  /** On hand + incoming − reserved. */
  readonly position: number;
}

export interface ReorderPlan {
  /** Thousandths of a unit per day. */
  readonly dailyDemandMilli: number;
  readonly leadTimeDays: number;
  readonly safetyStock: number;
  readonly reorderPoint: number;
  readonly position: number;
  readonly suggestedQuantity: number;
}

/**
 * safety stock = ⌈z(service level) · σ · √leadTime⌉, reorder point = ⌈demand · leadTime⌉ + safety stock,
 * suggestion = max(0, reorder point + ⌈demand · reviewDays⌉ − position): what brings the position up to the
 * reorder point plus a review period of demand.
 */
export function planReorder(input: ReorderInput, parameters: PlanningParameters): ReorderPlan {
  const dailyDemandMilli = ewmaDemandMilli(input.series, parameters.alphaMilli);
  const deviation = demandDeviation(input.series, dailyDemandMilli);
  const z = Math.max(0, normalQuantile(parameters.serviceLevel));
  // The epsilon keeps a product that is a whole number in exact arithmetic from rounding up one unit more.
  const safetyStock = Math.max(0, Math.ceil(z * deviation * Math.sqrt(input.leadTimeDays) - 1e-9));
  const reorderPoint = ceilDiv(dailyDemandMilli * input.leadTimeDays, MILLI) + safetyStock;
  const suggestedQuantity = Math.max(0, reorderPoint + ceilDiv(dailyDemandMilli * parameters.reviewDays, MILLI) - input.position);
  return { dailyDemandMilli, leadTimeDays: input.leadTimeDays, safetyStock, reorderPoint, position: input.position, suggestedQuantity };
}

function ceilDiv(numerator: number, denominator: number): number {
  return Math.ceil(numerator / denominator);
}
