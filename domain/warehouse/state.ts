import { DEFAULT_WAREHOUSE_ID } from '../shared/defaults.js';

export interface Warehouse {
  readonly warehouseId: string;
  readonly name: string;
  readonly address: string | null;
}

/** No warehouse before its `WarehouseRegistered` (except `main`, see MAIN_WAREHOUSE). */
export type WarehouseState = Warehouse | null;

export const initialState: WarehouseState = null;

/** The warehouse every position and order uses when none is named: known from the start, never registered. */
export const MAIN_WAREHOUSE: Warehouse = { warehouseId: DEFAULT_WAREHOUSE_ID, name: 'Main warehouse', address: null };

/** Warehouse ids are part of stock stream names (`stock-<warehouseId>-<sku>`): no `-`, so a name splits one way. */
export const WAREHOUSE_ID_PATTERN = /^[A-Za-z0-9_]{1,32}$/;

export const isWarehouseId = (value: unknown): value is string => typeof value === 'string' && WAREHOUSE_ID_PATTERN.test(value);
