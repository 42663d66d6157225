import { describe, expect, it } from '@jest/globals';

import { moneyChart } from './charts';
import { countSeries, formatRate, inChartOrder, moneySeries, periodQuery } from './types';

describe('analytics: what the charts and tables are built from', () => {
  it('puts days and ISO weeks in time order, and keeps the API order of reasons', () => {
    const weeks = [{ key: '2026-W49' }, { key: '2025-W52' }, { key: '2026-W01' }];
    expect(inChartOrder(weeks, true).map((group) => group.key)).toEqual(['2025-W52', '2026-W01', '2026-W49']);
    const reasons = [{ key: 'damaged' }, { key: 'address wrong' }];
    expect(inChartOrder(reasons, false).map((group) => group.key)).toEqual(['damaged', 'address wrong']);
  });

  it('splits money by currency, one series each, never adding yuan to dollars', () => {
    const groups = [
      { key: '2026-12-01', value: 12800, currency: 'CNY' },
      { key: '2026-12-01', value: 500, currency: 'USD' },
      { key: '2026-12-02', value: 1999 },
    ];
    expect(moneySeries(groups, (group) => group.value)).toEqual({
      keys: ['2026-12-01', '2026-12-02'],
      series: [
        { currency: 'CNY', values: [12800, 1999] },
        { currency: 'USD', values: [500, 0] },
      ],
    });
    expect(countSeries([...groups.map((group) => ({ ...group, orders: 2 }))], (group) => group.orders)).toEqual({ keys: ['2026-12-01', '2026-12-02'], values: [4, 2] });
  });

  it('charts money in integer minor units and reads its axis in major units with the currency', () => {
    const format = (minor: number, currency: string) => `${currency} ${(minor / 100).toFixed(2)}`;
    const option = moneyChart([{ key: '2026-W49', refunded: 3998 }], (group) => group.refunded, { name: 'Refunded', format, line: false });
    const series = option.series as { data: number[]; tooltip: { valueFormatter: (value: number) => string } }[];
    expect(series[0].data).toEqual([3998]);
    expect(Number.isInteger(series[0].data[0])).toBe(true);
    expect(series[0].tooltip.valueFormatter(3998)).toBe('CNY 39.98');
    const axes = option.yAxis as { axisLabel: { formatter: (value: number) => string } }[];
    expect(axes[0].axisLabel.formatter(5000)).toBe('CNY 50.00');
  });

  it('shows a cancellation rate as a percentage, and none when no order was placed', () => {
    expect(formatRate(0.125, 'en')).toBe('12.5%');
    expect(formatRate(1, 'zh-CN')).toBe('100%');
    expect(formatRate(null, 'en')).toBe('—');
  });

  it('asks for everything when no period is picked, else from the first day up to the day after the last (exclusive)', () => {
    expect(periodQuery(null)).toEqual({});
    expect(periodQuery(['2026-11-01', '2026-11-30'])).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(periodQuery(['2026-12-31', '2026-12-31'])).toEqual({ from: '2026-12-31', to: '2027-01-01' });
    expect(periodQuery(['2028-02-28', '2028-02-28'])).toEqual({ from: '2028-02-28', to: '2028-02-29' });
  });
});
