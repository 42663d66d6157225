import type { ScreenDefinition } from '../types';
import { StockScreen } from './StockScreen';

/** Who may read stock levels (API.md "Access"; admin always may). */
const STOCK_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;

export const stockScreens: readonly ScreenDefinition[] = [{ path: 'stock', roles: STOCK_READERS, titleKey: 'common:nav.stock', element: <StockScreen /> }];
