import { describe, expect, it } from '@jest/globals';

import { formatMoney } from '../../format/money';
import { currencyOf, stillInTransit, valueTotals } from './types';
import { warehousesFrom } from './warehouse-list';

const shown = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('stock: cost, value and transfers as the console shows them', () => {
  it('adds up the value of the positions shown exactly in minor units, per currency, in yuan for the reader', () => {
    const totals = valueTotals([{ value: 1999 }, { value: 1, currency: 'CNY' }, { value: 250, currency: 'USD' }, {}]);
    expect(totals).toEqual([{ currency: 'CNY', value: 2000 }, { currency: 'USD', value: 250 }]);
    expect(shown(formatMoney(totals[0].value, totals[0].currency, 'zh-CN'))).toBe('¥20.00');
    // 0.1 + 0.2 in yuan is no float sum here: ten thousand positions of 0.01 are exactly 100.00.
    expect(valueTotals(Array.from({ length: 10_000 }, () => ({ value: 1 })))).toEqual([{ currency: 'CNY', value: 10_000 }]);
  });

  it('values stock in the business currency, CNY when the API names none', () => {
    expect(currencyOf({})).toBe('CNY');
    expect(currencyOf({ currency: 'USD' })).toBe('USD');
    expect(shown(formatMoney(1667, currencyOf({}), 'en'))).toBe('CN¥16.67');
  });

  it('a transfer is in transit for what was sent and not yet received', () => {
    expect(stillInTransit({ quantity: 5 })).toBe(5);
    expect(stillInTransit({ quantity: 5, received: 2 })).toBe(3);
    expect(stillInTransit({ quantity: 5, received: 5 })).toBe(0);
  });

  it('lists main first and always, whatever the API answers, and reads either id field', () => {
    expect(warehousesFrom(undefined).map((warehouse) => warehouse.id)).toEqual(['main']);
    const listed = warehousesFrom({ items: [{ id: 'north', name: 'North DC', address: 'Hangzhou' }, { warehouseId: 'main', name: 'Main' }] });
    expect(listed).toEqual([
      { id: 'main', name: 'Main', address: null, registeredAt: null },
      { id: 'north', name: 'North DC', address: 'Hangzhou', registeredAt: null },
    ]);
    expect(warehousesFrom([{ warehouseId: 'south' }]).map((warehouse) => warehouse.id)).toEqual(['main', 'south']);
  });
});
