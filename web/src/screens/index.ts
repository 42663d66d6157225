// The registry of the console's screens, in menu order. A screen adds one entry here (and its messages
// to i18n/namespaces.ts); the shell builds the routes and the menu from this list, showing each screen
// only to the roles it names.
import { analyticsScreens } from './analytics';
import { approvalScreens } from './approvals';
import { auditScreens } from './audit';
import { keyScreens } from './keys';
import { masterDataScreens } from './master-data';
import { orderScreens } from './orders';
import { planningScreens } from './planning';
import { stockScreens } from './stock';
import type { ScreenDefinition } from './types';

export type { ScreenDefinition } from './types';

export const screens: readonly ScreenDefinition[] = [...orderScreens, ...approvalScreens, ...stockScreens, ...auditScreens, ...masterDataScreens, ...analyticsScreens, ...planningScreens, ...keyScreens];
