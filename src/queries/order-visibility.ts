import { type Actor, hasRole, type Role } from '../../domain/index.js';

/** Roles that read every order; anyone else who may read orders (clerk, integration) sees only the orders it placed (as the command side rules). */
export const SEES_ALL_ORDERS: readonly Role[] = ['warehouse', 'approver', 'finance', 'auditor', 'analyst'];

export function seesOwnOrdersOnly(actor: Actor): boolean {
  return !SEES_ALL_ORDERS.some((role) => hasRole(actor, role));
}
