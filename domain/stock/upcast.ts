/**
 * Brings stored stock event data to the current schema before `evolve` sees it.
 * - v1 movements (`StockReceived`, `StockShipped`, `StockReturned`, `StockReturnedToSupplier`, `StockAdjusted`)
 *   had no `value`: nothing had a cost then, so every position's value was 0 and stays 0 through them
 *   (`value: 0`; a v1 receipt's `unitCost` is `null`, at the average, which was 0).
 */
export function upcastStockEvent(type: string, schemaVersion: number, data: unknown): unknown {
  if (schemaVersion >= 2) return data;
  const v1 = data as Record<string, unknown>;
  switch (type) {
    case 'StockReceived': return { ...v1, unitCost: null, value: 0 };
    case 'StockShipped':
    case 'StockReturned':
    case 'StockReturnedToSupplier':
    case 'StockAdjusted':
      return { ...v1, value: 0 };
    default: return data;
  }
}
