import type { ScreenDefinition } from '../types';
import { PartiesScreen } from './PartiesScreen';
import { ProductsScreen } from './ProductsScreen';
import { WarehousesScreen } from './WarehousesScreen';

/** Who may read products, and customers and suppliers (API.md "Access"; admin always may). */
const PRODUCT_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;
const PARTY_READERS = ['clerk', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;

export const masterDataScreens: readonly ScreenDefinition[] = [
  { path: 'products', roles: PRODUCT_READERS, titleKey: 'common:nav.products', element: <ProductsScreen /> },
  { path: 'customers', roles: PARTY_READERS, titleKey: 'common:nav.customers', element: <PartiesScreen key="customers" kind="customers" /> },
  { path: 'suppliers', roles: PARTY_READERS, titleKey: 'common:nav.suppliers', element: <PartiesScreen key="suppliers" kind="suppliers" /> },
  // Whoever reads stock reads the warehouses it is kept in; warehouse staff register them.
  { path: 'warehouses', roles: PRODUCT_READERS, titleKey: 'common:nav.warehouses', element: <WarehousesScreen /> },
];
