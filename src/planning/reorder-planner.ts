import { Inject, Injectable } from '@nestjs/common';

import { type DailySales, demandSeries, leadTimeDays, type PlanningParameters, planReorder, windowStart } from '../../domain/planning/index.js';
import { type DailyDemandView, type ProductView, type PurchaseLeadTimeView, type StockLevelView } from '../../projections/index.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../platform/read-store/read-store.port.js';
import { PLANNING_SETTINGS } from './planning-settings.js';

/** The latest received purchases of a SKU whose lead times make its median. */
const LEAD_TIME_SAMPLE = 20;

export interface ReorderItem {
  readonly sku: string;
  readonly warehouseId: string;
  /** Units per day, three decimals (computed in thousandths). */
  readonly dailyDemand: number;
  readonly leadTimeDays: number;
  readonly safetyStock: number;
  readonly reorderPoint: number;
  readonly position: number;
  readonly suggestedQuantity: number;
  readonly supplierId: string | null;
}

interface Supply {
  readonly leadTimeDays: number;
  readonly supplierId: string | null;
}

/**
 * Reorder suggestions for the positions of one warehouse: every SKU with a stock position there or a sale placed
 * there within the demand window. Reads the `planning` views and `stock_levels`; the arithmetic is domain/planning's.
 */
@Injectable()
export class ReorderPlanner {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(PLANNING_SETTINGS) private readonly parameters: PlanningParameters,
  ) {}

  /** `asOf`: the UTC day planned for (`YYYY-MM-DD`), the last day of the demand window. */
  async reorder(warehouseId: string, asOf: string): Promise<ReorderItem[]> {
    const [positions, sales] = await Promise.all([this.positions(warehouseId), this.sales(warehouseId, asOf)]);
    const skus = [...new Set([...positions.keys(), ...sales.keys()])].sort();
    const items: ReorderItem[] = [];
    for (const sku of skus) {
      const supply = await this.supply(sku);
      const plan = planReorder(
        { series: demandSeries(sales.get(sku) ?? [], asOf, this.parameters.windowDays), leadTimeDays: supply.leadTimeDays, position: positions.get(sku) ?? 0 },
        this.parameters,
      );
      const { dailyDemandMilli, ...rest } = plan;
      items.push({ sku, warehouseId, dailyDemand: dailyDemandMilli / 1000, ...rest, supplierId: supply.supplierId });
    }
    return items;
  }

  /** position = on hand + incoming − reserved, per SKU. */
  private async positions(warehouseId: string): Promise<Map<string, number>> {
    const positions = new Map<string, number>();
    for await (const level of this.views.scan<StockLevelView & ViewDocument>('stock_levels', { filter: { warehouseId } })) {
      positions.set(level.sku, level.onHand + level.incoming - level.reserved);
    }
    return positions;
  }

  private async sales(warehouseId: string, asOf: string): Promise<Map<string, DailySales[]>> {
    const bySku = new Map<string, DailySales[]>();
    const filter = { warehouseId, day: { $gte: windowStart(asOf, this.parameters.windowDays), $lte: asOf } };
    for await (const demand of this.views.scan<DailyDemandView & ViewDocument>('planning_demand', { filter })) {
      const list = bySku.get(demand.sku) ?? [];
      list.push({ day: demand.day, quantity: demand.quantity });
      bySku.set(demand.sku, list);
    }
    return bySku;
  }

  /**
   * The lead time (the product's own, set by PATCH /api/products/{sku}; else the median of the SKU's latest received
   * purchases, in any warehouse; else the default) and the supplier (the product's preferred one, else that of its
   * latest purchase).
   */
  private async supply(sku: string): Promise<Supply> {
    const byPlacement = [{ field: 'placedAt', direction: 'desc' as const }];
    const [product, latest, received] = await Promise.all([
      this.views.get<ProductView & ViewDocument>('products', sku),
      this.views.query<PurchaseLeadTimeView & ViewDocument>('planning_purchases', { filter: { sku }, sort: byPlacement, limit: 1 }),
      this.views.query<PurchaseLeadTimeView & ViewDocument>('planning_purchases', { filter: { sku, receivedAt: { $gt: '' } }, sort: byPlacement, limit: LEAD_TIME_SAMPLE }),
    ]);
    const measured = received.items.flatMap((line) => (line.leadTimeDays === null ? [] : [line.leadTimeDays]));
    return {
      leadTimeDays: leadTimeDays(product?.leadTimeDays ?? null, measured, this.parameters.defaultLeadTimeDays),
      supplierId: product?.preferredSupplierId ?? latest.items[0]?.supplierId ?? null,
    };
  }
}
