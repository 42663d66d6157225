// The warehouses (GET /api/warehouses; `main` exists from the start and is listed first) and a selector of
// them for the stock screens' forms and filters.
import { Select, type SelectProps } from 'antd';

import type { Page } from '../../api/client';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { type Warehouse, type WarehouseAnswer, warehousesFrom } from './warehouse-list';

export type { Warehouse } from './warehouse-list';

export interface WarehouseList {
  readonly warehouses: readonly Warehouse[];
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/** Every warehouse, reloaded when `reload` changes; read at least at `minPosition` (after a registration here). */
export function useWarehouses(reload = 0, minPosition?: string): WarehouseList {
  const { api } = useSession();
  // One answer holds every warehouse (the route takes no paging parameters).
  const loaded = useLoad(async (signal) => warehousesFrom(await api.get<Page<WarehouseAnswer> | WarehouseAnswer[]>('/warehouses', { minPosition }, { signal })), [api, reload, minPosition]);
  return { warehouses: loaded.data ?? warehousesFrom(undefined), error: loaded.error, loading: loaded.loading, reload: loaded.reload };
}

/** A warehouse chosen from the list (`id · name`); typing filters it. */
export function WarehouseSelect(props: Omit<SelectProps<string>, 'options'> & { readonly warehouses: readonly Warehouse[] }) {
  const { warehouses, ...rest } = props;
  return (
    <Select<string>
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 200 }}
      {...rest}
      options={warehouses.map((warehouse) => ({ value: warehouse.id, label: warehouse.name === warehouse.id ? warehouse.id : `${warehouse.id} · ${warehouse.name}` }))}
    />
  );
}
