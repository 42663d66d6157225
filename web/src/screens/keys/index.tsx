import type { ScreenDefinition } from '../types';
import { KeysScreen } from './KeysScreen';

/** API keys: admin only (an empty list of roles: admin always may, nobody else). */
export const keyScreens: readonly ScreenDefinition[] = [{ path: 'keys', roles: [], titleKey: 'common:nav.keys', element: <KeysScreen /> }];
