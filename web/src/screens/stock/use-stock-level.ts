import { useEffect, useState } from 'react';

import { ApiRequestError } from '../../api/client';
import { useLoad } from '../../app/use-load';
import { useApi } from '../../app/session';
import type { StockLevel } from './types';

/** `value`, once it has stopped changing for `delayMs` (so typing a SKU does not ask the API per key). */
function useSettled<T>(value: T, delayMs = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * What the API says of one position now: `level` is undefined until it answered for exactly the SKU and
 * warehouse typed, null when there is no stock of it there yet (404).
 */
export interface PositionNow {
  readonly level: StockLevel | null | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

/** The current level of `sku` in `warehouseId` (GET /api/stock/:sku), reloaded when `reload` changes. */
export function useStockLevel(sku: string | undefined, warehouseId: string, reload = 0): PositionNow {
  const api = useApi();
  const typed = `${warehouseId}\n${sku?.trim() ?? ''}`;
  const settled = useSettled(typed);
  const loaded = useLoad<{ key: string; level: StockLevel | null } | undefined>(
    async (signal) => {
      const [warehouse, code] = settled.split('\n');
      if (!code) return undefined;
      try {
        return { key: settled, level: await api.get<StockLevel>(`/stock/${encodeURIComponent(code)}`, { warehouseId: warehouse }, { signal }) };
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 404) return { key: settled, level: null };
        throw error;
      }
    },
    [settled, reload],
  );
  const answered = loaded.data?.key === typed;
  const asked = settled === typed && !typed.endsWith('\n');
  return {
    level: answered ? loaded.data?.level : undefined,
    error: asked ? loaded.error : undefined,
    loading: !typed.endsWith('\n') && (!asked || loaded.loading),
  };
}
