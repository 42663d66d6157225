import { describe, expect, it } from '@jest/globals';

import { signed, warehouseOf } from './types';

describe('stock: variances and the warehouse a form names', () => {
  it('shows a variance with its sign: a gain, a loss, none', () => {
    expect(signed(3, 'en')).toBe('+3');
    expect(signed(-2, 'en').replace('\u2212', '-')).toBe('-2');
    expect(signed(0, 'en')).toBe('0');
    expect(signed(1200, 'zh-CN')).toBe('+1,200');
  });

  it('takes the main warehouse when the field is left empty, as the API does', () => {
    expect(warehouseOf(undefined)).toBe('main');
    expect(warehouseOf('   ')).toBe('main');
    expect(warehouseOf(' north ')).toBe('north');
  });
});
