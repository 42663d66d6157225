import type { ScreenDefinition } from '../types';
import { AuditScreen, TIMELINE_READERS } from './AuditScreen';

export const auditScreens: readonly ScreenDefinition[] = [
  { path: 'audit', roles: [...TIMELINE_READERS, 'analyst'], titleKey: 'common:nav.audit', element: <AuditScreen /> },
  { path: 'audit/orders/:orderId', roles: TIMELINE_READERS, titleKey: 'common:nav.audit', element: <AuditScreen />, menu: false },
];
