import { ANALYTICS_READERS } from '../analytics';
import type { ScreenDefinition } from '../types';
import { PlanningScreen } from './PlanningScreen';

/** Reorder planning: the roles of analytics (API.md "Access": exports, analytics, planning). */
export const planningScreens: readonly ScreenDefinition[] = [{ path: 'planning', roles: ANALYTICS_READERS, titleKey: 'planning:title', element: <PlanningScreen /> }];
