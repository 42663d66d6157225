import { Spin } from 'antd';
import { lazy, Suspense } from 'react';

import type { ScreenDefinition } from '../types';

// The charts (ECharts, the console's largest library after antd) load when the screen is first opened,
// not with the console.
const AnalyticsScreen = lazy(() => import('./AnalyticsScreen').then((module) => ({ default: module.AnalyticsScreen })));

/** Who may read analytics (API.md "Access": exports, analytics, planning; admin always may). */
export const ANALYTICS_READERS = ['analyst', 'auditor', 'finance'] as const;

export const analyticsScreens: readonly ScreenDefinition[] = [
  {
    path: 'analytics',
    roles: ANALYTICS_READERS,
    titleKey: 'analytics:title',
    element: (
      <Suspense fallback={<Spin />}>
        <AnalyticsScreen />
      </Suspense>
    ),
  },
];
