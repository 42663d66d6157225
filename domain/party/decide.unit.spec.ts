import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { partyDecider } from './index.js';

const { given } = deciderSpec(partyDecider, asUser('carol', 'clerk'));
const details = { id: 'cust-1', name: 'Wang Fang', phone: '13800000000', email: 'wang@example.cn', address: null };

describe('customers and suppliers', () => {
  it('registers a customer', () =>
    given().when({ type: 'RegisterCustomer', ...details, name: ' Wang Fang ' }).then({ type: 'CustomerRegistered', data: details }));

  it('registers a supplier', () =>
    given().when({ type: 'RegisterSupplier', ...details, id: 'supp-1' }).thenState((party, events) => {
      expect(events).toEqual([{ type: 'SupplierRegistered', data: { ...details, id: 'supp-1' } }]);
      expect(party).toMatchObject({ kind: 'supplier', id: 'supp-1' });
    }));

  it('registering the same customer again emits nothing', () =>
    given({ type: 'CustomerRegistered', data: details }).when({ type: 'RegisterCustomer', ...details }).thenNothing());

  it('refuses a different customer under an existing id', () =>
    given({ type: 'CustomerRegistered', data: details }).when({ type: 'RegisterCustomer', ...details, name: 'Li Lei' }).thenFails('already_exists'));

  it('refuses a party without a name', () => given().when({ type: 'RegisterCustomer', ...details, name: ' ' }).thenFails('validation_failed'));

  it('refuses a malformed email address', () =>
    given().when({ type: 'RegisterSupplier', ...details, email: 'not an email' }).thenFails('validation_failed', { fields: [{ field: 'email' }] }));

  describe('erasure of a customer', () => {
    const registered = { type: 'CustomerRegistered' as const, data: details };
    const erase = { type: 'EraseCustomer' as const, id: details.id, reason: 'asked by the customer' };

    it('records the erasure with its reason, and the personal fields are gone from the state', () =>
      given(registered).when(erase).thenState((party, events) => {
        expect(events).toEqual([{ type: 'CustomerErased', data: { id: details.id, reason: 'asked by the customer' } }]);
        expect(party).toEqual({ kind: 'customer', id: details.id, name: null, phone: null, email: null, address: null, erased: true, active: true });
      }));

    it('erasing again is a repeat', () => given(registered, { type: 'CustomerErased', data: { id: details.id, reason: 'x' } }).when(erase).thenNothing());

    it('refuses an erasure without a reason', () =>
      given(registered).when({ ...erase, reason: ' ' }).thenFails('validation_failed', { fields: [{ field: 'reason' }] }));

    it('refuses to erase a customer that does not exist, or a supplier', () => {
      given().when(erase).thenFails('not_found');
      given({ type: 'SupplierRegistered', data: details }).when(erase).thenFails('not_found');
    });

    it('never registers an erased customer again, even with the same details', () =>
      given(registered, { type: 'CustomerErased', data: { id: details.id, reason: 'x' } }).when({ type: 'RegisterCustomer', ...details }).thenFails('already_exists'));
  });

  describe('changes (PATCH)', () => {
    const registered = { type: 'CustomerRegistered' as const, data: details };

    it('records only the fields that changed (personal ones included) and who changed them', () =>
      given(registered).when({ type: 'ChangeCustomer', id: details.id, changes: { name: 'Wang Fang', phone: '13900000000', address: ' ' } }).then({
        type: 'CustomerChanged',
        data: { id: details.id, changes: { phone: '13900000000' }, changedBy: 'carol' },
      }));

    it('a change that changes nothing appends nothing', () =>
      given(registered).when({ type: 'ChangeCustomer', id: details.id, changes: { email: 'wang@example.cn', active: true } }).thenNothing());

    it('makes a supplier inactive', () =>
      given({ type: 'SupplierRegistered', data: details }).when({ type: 'ChangeSupplier', id: details.id, changes: { active: false } }).thenState((party, events) => {
        expect(events).toEqual([{ type: 'SupplierChanged', data: { id: details.id, changes: { active: false }, changedBy: 'carol' } }]);
        expect(party).toMatchObject({ kind: 'supplier', active: false, name: 'Wang Fang' });
      }));

    it('a registered party is active', () => given().when({ type: 'RegisterCustomer', ...details }).thenState((party) => expect(party?.active).toBe(true)));

    it('refuses to change a party that does not exist, or one of the other kind', () => {
      given().when({ type: 'ChangeCustomer', id: details.id, changes: { active: false } }).thenFails('not_found');
      given({ type: 'SupplierRegistered', data: details }).when({ type: 'ChangeCustomer', id: details.id, changes: { active: false } }).thenFails('not_found');
    });

    it('refuses a malformed email and a blank name, naming them', () =>
      given(registered).when({ type: 'ChangeCustomer', id: details.id, changes: { email: 'nope', name: ' ' } }).thenFails('validation_failed', {
        fields: [{ field: 'name', problems: ['must not be blank'] }, { field: 'email', problems: ['must be an email address or null'] }],
      }));

    it('an erased customer keeps its data erased: a change of them is refused, making it inactive is not', () => {
      const erased = { type: 'CustomerErased' as const, data: { id: details.id, reason: 'x' } };
      given(registered, erased).when({ type: 'ChangeCustomer', id: details.id, changes: { phone: '1' } }).thenFails('invalid_transition');
      given(registered, erased).when({ type: 'ChangeCustomer', id: details.id, changes: { active: false } }).then({
        type: 'CustomerChanged',
        data: { id: details.id, changes: { active: false }, changedBy: 'carol' },
      });
    });
  });
});
