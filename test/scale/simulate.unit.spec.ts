import { describe, expect, it } from '@jest/globals';

import { DEFAULT_ASSUMPTIONS, type OrderCosts, type Throughput, render, simulate } from '../../scripts/scale/model.js';

// Figures of the shape `npm run scale:measure` and `npm run bench` produce; the model's arithmetic is what is under test.
const costs: OrderCosts = {
  source: 'test figures',
  eventsPerOrder: 12,
  stockEventsPerLine: 2,
  linesPerOrder: 2,
  requestsPerOrder: 5,
  logBytesPerOrder: 10_000,
  viewBytesPerOrder: { orders: 3_000, audit_trail: 11_000 },
  commandCpuMsPerOrder: 10,
  projectionCpuMsPerOrder: 4,
  rebuildEventsPerSecond: { orders: 12_000, audit: 24_000 },
  projectionPeakRssMb: 300,
};
const throughput: Throughput = {
  source: 'test bench',
  storeAppendsPerSecond: 36_000,
  serialCommitsPerSecond: 7_200,
  hotStreamEventsPerSecond: 9_000,
  httpRequestsPerSecond: 750,
  projectionEventsPerSecond: 6_000,
};
const limit = (result: ReturnType<typeof simulate>, part: string) => {
  const found = [...result.rateLimits, ...result.sizeLimits].find((l) => l.part.startsWith(part));
  if (!found) throw new Error(`no limit ${part}`);
  return 'orders' in found ? found.orders : found.ordersPerSecond;
};

describe('scale simulation model', () => {
  it('grows the log, the views and the rebuild in proportion to the orders', () => {
    const [small, large] = simulate(costs, throughput, { ...DEFAULT_ASSUMPTIONS, SCALES: [1_000_000, 2_000_000] }).rows;
    expect(large.logBytes).toBe(2 * small.logBytes);
    expect(small.logBytes).toBe(10_000_000_000);
    expect(large.viewBytes.audit_trail).toBe(2 * small.viewBytes.audit_trail);
    expect(large.events).toBe(24_000_000);
    // 12M events at 12k/s and at 24k/s: 1,000 s and 500 s, in turn 1,500 s.
    expect(small.rebuildSeconds).toEqual({ orders: 1_000, audit: 500 });
    expect(small.rebuildSecondsTotal).toBe(1_500);
    expect(large.rebuildSecondsTotal).toBe(3_000);
    // A full rebuild writes fresh generations beside the live views.
    expect(small.diskBytesDuringRebuild).toBe(10_000_000_000 + 2 * 14_000_000_000);
  });

  it('moves each saturation point with the measured rate behind it', () => {
    const base = simulate(costs, throughput);
    const fasterStore = simulate(costs, { ...throughput, storeAppendsPerSecond: 72_000 });
    expect(limit(base, 'single SQLite writer, group commit')).toBe(3_000);
    expect(limit(fasterStore, 'single SQLite writer, group commit')).toBe(6_000);
    const cheaperCommands = simulate({ ...costs, commandCpuMsPerOrder: 5 }, throughput);
    expect(limit(base, 'command thread')).toBe(100);
    expect(limit(cheaperCommands, 'command thread')).toBe(200);
    // The hot SKU: 9,000 events/s ÷ (2 lines × 5% × 2 events) = 45,000 orders/s; all on one SKU: 4,500.
    expect(limit(base, 'hot SKU')).toBeCloseTo(45_000, 6);
    expect(limit(base, 'one stock position')).toBe(4_500);
    expect(limit(simulate(costs, throughput, { ...DEFAULT_ASSUMPTIONS, HOT_SKU_SHARE: 0.5 }), 'hot SKU')).toBeCloseTo(4_500, 6);
    // The rebuild window: 8 h ÷ (12/12,000 + 12/24,000 s per order) = 19.2M orders; a twice faster orders group moves it.
    expect(limit(base, 'rebuild window')).toBeCloseTo(19_200_000, 3);
    expect(limit(simulate({ ...costs, rebuildEventsPerSecond: { orders: 24_000, audit: 24_000 } }, throughput), 'rebuild window')).toBeCloseTo(28_800_000, 3);
    // The disk: half of 1 TiB ÷ (10,000 + 2 × 14,000) bytes.
    expect(limit(base, 'disk')).toBeCloseTo(2 ** 39 / 38_000, 6);
  });

  it('lists the rate limits lowest first, so the first is the bottleneck', () => {
    const { rateLimits } = simulate(costs, throughput);
    const rates = rateLimits.map((l) => l.ordersPerSecond);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(rateLimits[0].part).toMatch(/^command thread/);
  });

  it('prints every assumption with its value and the sources of the figures', () => {
    const text = render(simulate(costs, throughput, { ...DEFAULT_ASSUMPTIONS, REBUILD_WINDOW_HOURS: 6 }));
    for (const name of Object.keys(DEFAULT_ASSUMPTIONS)) expect(text).toContain(`- ${name} = `);
    expect(text).toContain('- REBUILD_WINDOW_HOURS = 6:');
    expect(text).toContain('Per-order costs: test figures');
    expect(text).toContain('Throughput: test bench');
    expect(text).toContain('| 10^8 orders |');
  });
});
