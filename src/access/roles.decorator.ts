import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';

import { type Role } from '../../domain/shared/context.js';
import { ApiErrors } from '../platform/http/openapi.js';

export const ROLES_KEY = 'jxc:roles';
export const PUBLIC_KEY = 'jxc:public';

// Each decorator that sets who may call a route also documents it (bearer security, 401, 403), so the
// OpenAPI document cannot forget a protected operation.

/** Who may call a route (API.md "Access"); `admin` always may. Checked before any state is read. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiBearerAuth(), ApiErrors(401, 403, 429));

/** Any authenticated caller, whatever its roles. */
export const Authenticated = () => applyDecorators(SetMetadata(ROLES_KEY, 'any'), ApiBearerAuth(), ApiErrors(401, 429));

/** No key needed: health and the OpenAPI document only (`security: [{}]`: anonymous). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiSecurity({}));
