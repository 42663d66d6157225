// The warehouses as the API lists them (GET /api/warehouses): `main` exists from the start and comes first.
import type { Page } from '../../api/client';

/** One warehouse as the console shows it. */
export interface Warehouse {
  readonly id: string;
  readonly name: string;
  readonly address: string | null;
  readonly registeredAt: string | null;
}

/** The API's warehouse (`id` or `warehouseId`), as a list page or a plain array. */
export interface WarehouseAnswer {
  readonly id?: string;
  readonly warehouseId?: string;
  readonly name?: string | null;
  readonly address?: string | null;
  readonly registeredAt?: string | null;
}

const MAIN_WAREHOUSE = 'main';

/** The API's answer as warehouses, `main` first (and always there: it exists from the start). */
export function warehousesFrom(answer: Page<WarehouseAnswer> | readonly WarehouseAnswer[] | undefined): Warehouse[] {
  const items = Array.isArray(answer) ? (answer as readonly WarehouseAnswer[]) : ((answer as Page<WarehouseAnswer> | undefined)?.items ?? []);
  const warehouses = items
    .map((item) => ({ id: item.id ?? item.warehouseId ?? '', name: item.name ?? item.id ?? item.warehouseId ?? '', address: item.address ?? null, registeredAt: item.registeredAt ?? null }))
    .filter((warehouse) => warehouse.id !== '');
  const main = warehouses.find((warehouse) => warehouse.id === MAIN_WAREHOUSE) ?? { id: MAIN_WAREHOUSE, name: MAIN_WAREHOUSE, address: null, registeredAt: null };
  return [main, ...warehouses.filter((warehouse) => warehouse.id !== MAIN_WAREHOUSE)];
}
