import { auditTrailView } from './audit-trail.js';
import { cancellationStatsView } from './cancellation-stats.js';
import { customersView, productsView, suppliersView } from './master-data.js';
import { ordersView } from './orders.js';
import { dailyDemandView, purchaseLeadTimesView } from './planning.js';
import { stockAlertsView } from './stock-alerts.js';
import { stockLevelsView } from './stock-levels.js';
import { type ProjectionGroup } from './view-spec.js';

export * from './projected-event.js';
export * from './view-spec.js';
export { type AuditEntry } from './audit-trail.js';
export { type PartyView, type ProductView } from './master-data.js';
export { type OrderView, ordersView } from './orders.js';
export { type DailyDemandView, type PurchaseLeadTimeView } from './planning.js';
export { type StockLevelView } from './stock-levels.js';

/**
 * Every projection of jxc, by the subscription that feeds it. A view computed from another
 * (alerts from levels, stats from orders) is in its source's group.
 */
export const PROJECTION_GROUPS: readonly ProjectionGroup[] = [
  // 2: orders in parts (line counters, shipments, returns, amendments, onHold, requirementVersion).
  { name: 'orders', version: 2, views: [ordersView, cancellationStatsView] },
  { name: 'stock', version: 1, views: [stockLevelsView, stockAlertsView] },
  // 2: API keys issued and revoked are in the trail (`restricted` access records).
  // 3: a party's line never names it (personal data stay sealed in the data); customer erasures.
  { name: 'audit', version: 3, views: [auditTrailView] },
  // 2: parties keep sealed personal fields and no lower-cased name; `erased`.
  { name: 'master_data', version: 2, views: [productsView, customersView, suppliersView] },
  // Reorder planning (issue 13): daily demand per SKU and warehouse, purchase lead times.
  { name: 'planning', version: 1, views: [dailyDemandView, purchaseLeadTimesView] },
];
