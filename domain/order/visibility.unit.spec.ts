import { describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '../shared/context.js';
import { canSeeOrder, seesOwnOrdersOnly } from './visibility.js';

const actor = (id: string, ...roles: Role[]) => ({ id, roles });
const carolsOrder = { ownerId: 'carol' };

describe('order visibility', () => {
  it('a clerk or an integration sees only the orders it placed', () => {
    for (const role of ['clerk', 'integration'] as const) {
      expect(seesOwnOrdersOnly(actor('carol', role))).toBe(true);
      expect(canSeeOrder(actor('carol', role), carolsOrder)).toBe(true);
      expect(canSeeOrder(actor('dave', role), carolsOrder)).toBe(false);
    }
  });

  it('admin, warehouse, approver, finance, auditor and analyst see every order', () => {
    for (const role of ['admin', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const) {
      expect(seesOwnOrdersOnly(actor('dave', role))).toBe(false);
      expect(canSeeOrder(actor('dave', role), carolsOrder)).toBe(true);
    }
  });

  it('one role that sees all is enough, whatever else the actor holds', () => {
    expect(canSeeOrder(actor('dave', 'clerk', 'auditor'), carolsOrder)).toBe(true);
    expect(ROLES.filter((role) => seesOwnOrdersOnly(actor('x', role)))).toEqual(['clerk', 'integration']);
  });

  it('an actor without roles sees only its own', () => {
    expect(canSeeOrder(actor('carol'), carolsOrder)).toBe(true);
    expect(canSeeOrder(actor('dave'), carolsOrder)).toBe(false);
  });
});
