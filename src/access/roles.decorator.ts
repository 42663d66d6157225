import { SetMetadata } from '@nestjs/common';

import { type Role } from '../../domain/shared/context.js';

export const ROLES_KEY = 'jxc:roles';
export const PUBLIC_KEY = 'jxc:public';

/** Who may call a route (API.md "Access"); `admin` always may. Checked before any state is read. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Any authenticated caller, whatever its roles. */
export const Authenticated = () => SetMetadata(ROLES_KEY, 'any');

/** No key needed: health and the OpenAPI document only. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
