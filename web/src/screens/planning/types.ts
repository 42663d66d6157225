// `GET /api/planning/reorder` (API.md "Integrations, imports, exports, analytics") and what the screen
// derives from it.

/** One SKU in one warehouse: its demand, lead time and the quantity the planner suggests ordering. */
export interface ReorderItem {
  readonly sku: string;
  readonly warehouseId: string;
  /** Units per day (a smoothed average: may have decimals). */
  readonly dailyDemand: number;
  readonly leadTimeDays: number;
  readonly safetyStock: number;
  readonly reorderPoint: number;
  /** On hand + incoming − reserved. */
  readonly position: number;
  readonly suggestedQuantity: number;
  readonly supplierId: string | null;
}

export interface ReorderPlan {
  readonly items: readonly ReorderItem[];
}

/** `due`: the position is at or below the reorder point (order now); `suggested`: an order is suggested; else `ok`. */
export type Urgency = 'due' | 'suggested' | 'ok';

export function urgencyOf(item: ReorderItem): Urgency {
  if (item.position <= item.reorderPoint && (item.reorderPoint > 0 || item.suggestedQuantity > 0)) return 'due';
  return item.suggestedQuantity > 0 ? 'suggested' : 'ok';
}

const RANK: Record<Urgency, number> = { due: 0, suggested: 1, ok: 2 };

/** What needs ordering first: below the reorder point, then other suggestions (largest first), then the rest by SKU. */
export function byUrgency(items: readonly ReorderItem[]): ReorderItem[] {
  return [...items].sort(
    (a, b) => RANK[urgencyOf(a)] - RANK[urgencyOf(b)] || b.suggestedQuantity - a.suggestedQuantity || a.sku.localeCompare(b.sku) || a.warehouseId.localeCompare(b.warehouseId),
  );
}

/** A daily demand as people read it: at most two decimals (`2.35`, `0.5`, `12`). */
export function formatDemand(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}
