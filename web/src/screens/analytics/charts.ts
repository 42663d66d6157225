// ECharts options of the analytics screen, built from the API's groups. Bars for counts and quantities,
// money in minor units on its own axis whose labels (and the tooltip) read as major units with currency.
import type { ChartOption } from '../../app/Chart';
import { countSeries, moneySeries } from './types';

type MoneyFormat = (minor: number, currency: string) => string;

const CATEGORY_LABELS = { interval: 0, hideOverlap: true, width: 120, overflow: 'truncate' } as const;

/** Bars of a count per key (cancellations, quantity sold). */
export function countChart<T extends { readonly key: string }>(groups: readonly T[], count: (group: T) => number, name: string): ChartOption {
  const { keys, values } = countSeries(groups, count);
  return {
    grid: { left: 48, right: 16, top: 32, bottom: 48 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: keys, axisLabel: CATEGORY_LABELS },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name, data: values, barMaxWidth: 40 }],
  };
}

/**
 * A money amount per key, one series per currency (a line over time buckets, else bars), plus the count
 * as bars on a second axis when `count` is given.
 */
export function moneyChart<T extends { readonly key: string; readonly currency?: string }>(
  groups: readonly T[],
  amount: (group: T) => number,
  options: { readonly name: string; readonly format: MoneyFormat; readonly line: boolean; readonly count?: { readonly name: string; readonly of: (group: T) => number } },
): ChartOption {
  const money = moneySeries(groups, amount);
  const axisCurrency = money.series[0]?.currency ?? 'CNY';
  const counts = options.count ? countSeries(groups, options.count.of) : undefined;
  const moneyNames = money.series.map((series) => (money.series.length > 1 ? `${options.name} (${series.currency})` : options.name));
  return {
    grid: { left: 88, right: counts ? 48 : 16, top: 32, bottom: 48 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: money.keys, axisLabel: CATEGORY_LABELS },
    yAxis: [
      { type: 'value', axisLabel: { formatter: (value: number) => options.format(value, axisCurrency) } },
      ...(counts ? [{ type: 'value' as const, minInterval: 1, splitLine: { show: false } }] : []),
    ],
    series: [
      ...money.series.map((series, index) => ({
        type: options.line ? ('line' as const) : ('bar' as const),
        name: moneyNames[index],
        data: series.values,
        barMaxWidth: 40,
        tooltip: { valueFormatter: (value: unknown) => options.format(Number(value), series.currency) },
      })),
      ...(counts && options.count ? [{ type: 'bar' as const, name: options.count.name, data: counts.values, yAxisIndex: 1, barMaxWidth: 24, itemStyle: { opacity: 0.45 } }] : []),
    ],
  };
}
