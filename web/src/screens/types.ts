import type { ReactNode } from 'react';

import type { Role } from '../api/types';

/** One screen of the console: where it lives, who may open it, its title, what it shows. */
export interface ScreenDefinition {
  /** The route under `/`, e.g. `orders` or `orders/:orderId` (react-router syntax). */
  readonly path: string;
  /** Who may open it (admin always may): it is hidden from everyone else. The server still checks every request. */
  readonly roles: readonly Role[];
  /** Its title (and menu entry): an i18n key with its namespace, e.g. `common:nav.orders`. */
  readonly titleKey: string;
  readonly element: ReactNode;
  /** Listed in the navigation menu (default true; false for detail pages such as one order). */
  readonly menu?: boolean;
}
