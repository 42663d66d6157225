import { type Product } from '../product/state.js';
import { DEFAULT_WAREHOUSE_ID } from '../shared/defaults.js';
import { stockStream } from '../shared/streams.js';
import { type StockPosition } from '../stock/state.js';
import { type ProcessStep } from './step.js';

/**
 * A product registered with `minStock`/`maxStock` gives its stock position in the default warehouse
 * those thresholds, unless thresholds were set there already (a later `PUT thresholds` wins).
 * The runner calls it after `ProductRegistered` with the stock state of `stock-main-<sku>`.
 */
export function nextProductStep(product: Product | null, defaultStock: StockPosition): ProcessStep | null {
  if (product === null || (product.minStock === null && product.maxStock === null)) return null;
  if (defaultStock.min !== null || defaultStock.max !== null) return null;
  return {
    aggregate: 'stock',
    streamId: stockStream(DEFAULT_WAREHOUSE_ID, product.sku),
    stepId: `product:${product.sku}:thresholds`,
    command: { type: 'SetStockThresholds', warehouseId: DEFAULT_WAREHOUSE_ID, sku: product.sku, min: product.minStock, max: product.maxStock },
  };
}
