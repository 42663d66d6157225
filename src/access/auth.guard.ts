import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { type Actor, hasRole, type Role } from '../../domain/shared/context.js';
import { ApiError } from '../platform/http/api-error.js';
import { AuthThrottle, type ClientRequest } from '../platform/http/edges/auth-throttle.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

/** `Authorization: Bearer <key>` -> actor; then the route's roles. Runs before pipes, so before any state check. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: ApiKeyRegistry,
    private readonly throttle: AuthThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & ClientRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    // A request without a valid key counts as a failed authentication of its client address (429 from the 11th in 60 s).
    if (!match) throw await this.throttle.refusal(request, new ApiError(401, 'unauthenticated', 'send your API key as Authorization: Bearer <key>'));
    const actor = await this.registry.authenticate(match[1]);
    if (!actor) throw await this.throttle.refusal(request, new ApiError(401, 'unauthenticated', 'unknown or revoked API key'));
    await this.throttle.keyUsed(match[1]);
    request.actor = actor;

    const allowed = this.reflector.getAllAndOverride<Role[] | 'any' | undefined>(ROLES_KEY, targets);
    if (allowed === 'any') return true;
    // A route that forgot to declare its roles is closed to everyone but admin.
    const roles = allowed ?? [];
    if (hasRole(actor, 'admin') || roles.some((role) => hasRole(actor, role))) return true;
    throw new ApiError(403, 'forbidden', `this needs one of the roles: ${['admin', ...roles].join(', ')}`, { requiredRoles: ['admin', ...roles], yourRoles: actor.roles });
  }
}
