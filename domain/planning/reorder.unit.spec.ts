import { describe, expect, it } from '@jest/globals';

import { DEFAULT_PLANNING, demandDeviation, demandSeries, ewmaDemandMilli, leadTimeDays, measuredLeadTimeDays, normalQuantile, planReorder } from './reorder.js';

describe('reorder planning', () => {
  it('lays out daily sales from the first sale in the window through the day planned for, days without sales as 0', () => {
    const sales = [
      { day: '2026-02-27', quantity: 9 }, // before the 3-day window: ignored
      { day: '2026-03-02', quantity: 4 },
      { day: '2026-03-02', quantity: 1 },
      { day: '2026-03-04', quantity: 2 },
      { day: '2026-03-05', quantity: 7 }, // after asOf: ignored
    ];
    expect(demandSeries(sales, '2026-03-04', 3)).toEqual([5, 0, 2]);
    expect(demandSeries(sales, '2026-03-04', 1)).toEqual([2]);
    expect(demandSeries([], '2026-03-04', 90)).toEqual([]);
  });

  it('averages demand exponentially in thousandths of a unit, starting from the mean', () => {
    expect(ewmaDemandMilli([], 100)).toBe(0);
    expect(ewmaDemandMilli([4, 4, 4], 100)).toBe(4000);
    // mean 5000; 5000 + 0.1·(10000 − 5000) = 5500; 5500 + 0.1·(0 − 5500) = 4950
    expect(ewmaDemandMilli([10, 0], 100)).toBe(4950);
    // a recent jump weighs more than an old one
    expect(ewmaDemandMilli([0, 0, 0, 0, 10], 100)).toBeGreaterThan(ewmaDemandMilli([10, 0, 0, 0, 0], 100));
  });

  it('takes the sample deviation of daily demand, or √demand with less than two days', () => {
    expect(demandDeviation([2, 4, 4, 4, 5, 5, 7, 9], 5000)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(demandDeviation([9], 9000)).toBe(3);
  });

  it('measures lead times in whole days rounded up, at least one, and takes the product’s, the median or the default', () => {
    expect(measuredLeadTimeDays('2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z')).toBe(1);
    expect(measuredLeadTimeDays('2026-03-01T09:00:00.000Z', '2026-03-04T09:00:00.000Z')).toBe(3);
    expect(measuredLeadTimeDays('2026-03-01T09:00:00.000Z', '2026-03-04T09:00:01.000Z')).toBe(4);
    expect(leadTimeDays(null, [9, 2, 4], 7)).toBe(4);
    expect(leadTimeDays(null, [2, 4, 9, 10], 7)).toBe(9);
    expect(leadTimeDays(null, [], 7)).toBe(7);
    expect(leadTimeDays(12, [2], 7)).toBe(12);
  });

  it('knows z of the usual service levels', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('suggests what brings the position to the reorder point plus a review period of demand, in whole units', () => {
    // demand: 10000 → 10000 → 10400 → 9960 → 9964 thousandths; σ = √(32/3) ≈ 3.266; z(0.95) ≈ 1.645
    // safety ⌈1.645 · 3.266 · √4⌉ = ⌈10.74⌉ = 11; reorder point ⌈9.964 · 4⌉ + 11 = 51; suggestion 51 + ⌈9.964 · 7⌉ − 25 = 96
    const plan = planReorder({ series: [10, 14, 6, 10], leadTimeDays: 4, position: 25 }, DEFAULT_PLANNING);
    expect(plan).toEqual({ dailyDemandMilli: 9964, leadTimeDays: 4, safetyStock: 11, reorderPoint: 51, position: 25, suggestedQuantity: 96 });
    // plenty on hand or on the way: nothing to order
    expect(planReorder({ series: [10, 14, 6, 10], leadTimeDays: 4, position: 500 }, DEFAULT_PLANNING).suggestedQuantity).toBe(0);
    // no sales: no demand, no suggestion
    expect(planReorder({ series: [], leadTimeDays: 7, position: 0 }, DEFAULT_PLANNING)).toMatchObject({ dailyDemandMilli: 0, safetyStock: 0, reorderPoint: 0, suggestedQuantity: 0 });
  });
});
