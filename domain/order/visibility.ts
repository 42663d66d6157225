import { type Actor, hasRole, type Role } from '../shared/context.js';

/**
 * Who sees which order, for commands and queries alike: these roles see every order (admin holds them
 * all); anyone else who may touch orders (clerk, integration) sees only the orders it placed. An order
 * the caller may not see answers as one that does not exist.
 */
const SEES_ALL_ORDERS: readonly Role[] = ['warehouse', 'approver', 'finance', 'auditor', 'analyst'];

export function seesOwnOrdersOnly(actor: Actor): boolean {
  return !SEES_ALL_ORDERS.some((role) => hasRole(actor, role));
}

export function canSeeOrder(actor: Actor, order: { readonly ownerId: string }): boolean {
  return !seesOwnOrdersOnly(actor) || order.ownerId === actor.id;
}
