/** HTTP (warehouse, admin): register a warehouse (仓库) once. `main` exists from the start without a registration. */
export interface RegisterWarehouse {
  readonly type: 'RegisterWarehouse';
  /** 1 to 32 letters, digits or `_`: it is part of stock stream names (`stock-<warehouseId>-<sku>`), so never a `-`. */
  readonly warehouseId: string;
  readonly name: string;
  readonly address?: string | null;
}

export type WarehouseCommand = RegisterWarehouse;
