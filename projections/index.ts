import { auditTrailView } from './audit-trail.js';
import { cancellationStatsView } from './cancellation-stats.js';
import { journalView } from './journal.js';
import { customersView, productsView, suppliersView, warehousesView } from './master-data.js';
import { ordersView } from './orders.js';
import { dailyDemandView, purchaseLeadTimesView } from './planning.js';
import { stockAlertsView } from './stock-alerts.js';
import { stockLevelsView } from './stock-levels.js';
import { stockTransfersView } from './stock-transfers.js';
import { type ProjectionGroup } from './view-spec.js';

export * from './projected-event.js';
export * from './view-spec.js';
export { type AuditEntry } from './audit-trail.js';
export { type PartyView, type ProductView, type WarehouseView } from './master-data.js';
export { type OrderView, ordersView } from './orders.js';
export { type JournalBookView, type JournalVoucher } from './journal.js';
export { type DailyDemandView, type PurchaseLeadTimeView } from './planning.js';
export { type StockLevelView } from './stock-levels.js';
export { type StockTransferView } from './stock-transfers.js';

/**
 * Every projection of jxc, by the subscription that feeds it. A view computed from another
 * (alerts from levels, stats from orders) is in its source's group.
 */
export const PROJECTION_GROUPS: readonly ProjectionGroup[] = [
  // 2: orders in parts (line counters, shipments, returns, amendments, onHold, requirementVersion).
  // 3: the order view's `payments` and `refunds` lists (issue 12).
  { name: 'orders', version: 3, views: [ordersView, cancellationStatsView] },
  // 2: levels show unitCost, value, inTransit, inTransitValue; transfers (issue 12).
  { name: 'stock', version: 2, views: [stockLevelsView, stockAlertsView, stockTransfersView] },
  // 2: API keys issued and revoked are in the trail (`restricted` access records).
  // 3: a party's line never names it (personal data stay sealed in the data); customer erasures.
  // 4: store credit events (credit-<customerId>) are in the trail (issue 12).
  { name: 'audit', version: 4, views: [auditTrailView] },
  // 2: parties keep sealed personal fields and no lower-cased name; `erased`.
  // 3: warehouses; product and party changes (active, price history), issue 12.
  { name: 'master_data', version: 3, views: [productsView, customersView, suppliersView, warehousesView] },
  // Reorder planning (issue 13): daily demand per SKU and warehouse, purchase lead times.
  { name: 'planning', version: 1, views: [dailyDemandView, purchaseLeadTimesView] },
  // The double-entry journal (issue 12): one book per order, one per event outside orders (docs/journal.md).
  { name: 'journal', version: 1, views: [journalView] },
];
