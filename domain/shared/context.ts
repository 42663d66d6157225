export type Role =
  | 'admin'
  | 'clerk'
  | 'warehouse'
  | 'approver'
  | 'finance'
  | 'auditor'
  | 'analyst'
  | 'integration';

export const ROLES: readonly Role[] = ['admin', 'clerk', 'warehouse', 'approver', 'finance', 'auditor', 'analyst', 'integration'];

export interface Actor {
  readonly id: string;
  readonly roles: readonly Role[];
}

/** Everything a decision needs from outside the domain: who acts, and when (ISO-8601 UTC). */
export interface Context {
  readonly actor: Actor;
  readonly now: string;
}

/** `admin` holds every role. */
export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role) || actor.roles.includes('admin');
}
