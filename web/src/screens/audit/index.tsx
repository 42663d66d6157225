import type { ScreenDefinition } from '../types';
import { AuditScreen } from './AuditScreen';
import { TIMELINE_READERS } from './types';

export const auditScreens: readonly ScreenDefinition[] = [
  { path: 'audit', roles: [...TIMELINE_READERS, 'analyst'], titleKey: 'common:nav.audit', element: <AuditScreen /> },
  { path: 'audit/orders/:orderId', roles: TIMELINE_READERS, titleKey: 'common:nav.audit', element: <AuditScreen />, menu: false },
];
