import type { ScreenDefinition } from '../types';
import { OrderListScreen } from './OrderListScreen';
import { OrderScreen } from './OrderScreen';

/** Who may read orders (API.md "Access"; a clerk sees only its own). */
const ORDER_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;

export const orderScreens: readonly ScreenDefinition[] = [
  { path: 'orders', roles: ORDER_READERS, titleKey: 'common:nav.orders', element: <OrderListScreen /> },
  { path: 'orders/:orderId', roles: ORDER_READERS, titleKey: 'common:nav.orders', element: <OrderScreen />, menu: false },
];
