import { type StockLevelView } from './stock-levels.js';
import { type MappedView } from './view-spec.js';

/** A stock position out of range: `low` (available below min) or `high` (on hand above max). Removed when back in range. */
export interface StockAlertView extends StockLevelView {
  readonly alert: 'low' | 'high';
}

export const stockAlertsView: MappedView<StockLevelView, StockAlertView> = {
  kind: 'mapped',
  name: 'stock_alerts',
  source: 'stock_levels',
  indexes: [
    { fields: [{ field: 'alert', direction: 'asc' }, { field: 'warehouseId', direction: 'asc' }, { field: 'sku', direction: 'asc' }] },
    { fields: [{ field: 'warehouseId', direction: 'asc' }, { field: 'sku', direction: 'asc' }] },
  ],
  map(level) {
    return level.alert === null ? null : { ...level, alert: level.alert };
  },
};
