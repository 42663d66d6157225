import type { ScreenDefinition } from '../types';
import { AnalyticsScreen } from './AnalyticsScreen';

/** Who may read analytics (API.md "Access": exports, analytics, planning; admin always may). */
export const ANALYTICS_READERS = ['analyst', 'auditor', 'finance'] as const;

export const analyticsScreens: readonly ScreenDefinition[] = [{ path: 'analytics', roles: ANALYTICS_READERS, titleKey: 'analytics:title', element: <AnalyticsScreen /> }];
