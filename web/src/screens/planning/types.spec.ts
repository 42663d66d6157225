import { describe, expect, it } from '@jest/globals';

import { byUrgency, formatDemand, type ReorderItem, urgencyOf } from './types';

const item = (sku: string, position: number, reorderPoint: number, suggestedQuantity: number): ReorderItem => ({
  sku, warehouseId: 'main', dailyDemand: 1.5, leadTimeDays: 7, safetyStock: 3, reorderPoint, position, suggestedQuantity, supplierId: 'sup-1',
});

describe('reorder planning: what needs ordering first', () => {
  it('flags a position at or below its reorder point as due, a suggestion above it as suggested, the rest as enough', () => {
    expect(urgencyOf(item('A', 4, 14, 20))).toBe('due');
    expect(urgencyOf(item('B', 14, 14, 10))).toBe('due');
    expect(urgencyOf(item('C', 20, 14, 5))).toBe('suggested');
    expect(urgencyOf(item('D', 40, 14, 0))).toBe('ok');
    // nothing sells and nothing is held: nothing to reorder
    expect(urgencyOf(item('E', 0, 0, 0))).toBe('ok');
  });

  it('lists due SKUs first, then suggestions by size, then the rest by SKU', () => {
    const sorted = byUrgency([item('D', 40, 14, 0), item('C', 20, 14, 5), item('A', 4, 14, 20), item('C2', 20, 14, 9), item('B', 0, 0, 0)]);
    expect(sorted.map((entry) => entry.sku)).toEqual(['A', 'C2', 'C', 'B', 'D']);
  });

  it('shows daily demand with at most two decimals', () => {
    expect(formatDemand(2.3456, 'en')).toBe('2.35');
    expect(formatDemand(12, 'en')).toBe('12');
  });
});
