import type { ScreenDefinition } from '../types';
import { ApprovalsScreen } from './ApprovalsScreen';

export const approvalScreens: readonly ScreenDefinition[] = [
  { path: 'approvals', roles: ['approver'], titleKey: 'common:nav.approvals', element: <ApprovalsScreen /> },
];
