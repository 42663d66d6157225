import type { Me, Role } from '../api/types';

/** Whether the user has one of `roles` (admin may do everything, API.md "Access"). UI only: the server decides. */
export function hasRole(me: Me, ...roles: readonly Role[]): boolean {
  return me.roles.includes('admin') || roles.some((role) => me.roles.includes(role));
}
