import { type DomainEvent } from '../shared/event.js';
import { type PartyChanges } from './commands.js';

export interface PartyRecord {
  readonly id: string;
  readonly name: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
}

/**
 * The fields that are personal data (API.md): a customer's and a supplier's name, phone, email and address.
 * In the store they are sealed with the party's data key; read back after an erasure they are null. In a
 * CustomerChanged/SupplierChanged they are inside `changes`, sealed the same way.
 */
export const PERSONAL_FIELDS = ['name', 'phone', 'email', 'address'] as const;

export type CustomerRegistered = DomainEvent<'CustomerRegistered', PartyRecord>;
export type SupplierRegistered = DomainEvent<'SupplierRegistered', PartyRecord>;
/** The customer's personal data were erased (their data key destroyed): who asked is in the metadata, why here. */
export type CustomerErased = DomainEvent<'CustomerErased', { readonly id: string; readonly reason: string }>;

/** Only the fields that changed, with their new values (personal ones sealed in the store like a registration's). */
export type CustomerChanged = DomainEvent<'CustomerChanged', { readonly id: string; readonly changes: PartyChanges; readonly changedBy: string }>;
export type SupplierChanged = DomainEvent<'SupplierChanged', { readonly id: string; readonly changes: PartyChanges; readonly changedBy: string }>;

export type PartyEvent = CustomerRegistered | SupplierRegistered | CustomerErased | CustomerChanged | SupplierChanged;
export type PartyEventType = PartyEvent['type'];

export const PARTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<PartyEventType, number>> = {
  CustomerRegistered: 1,
  SupplierRegistered: 1,
  CustomerErased: 1,
  CustomerChanged: 1,
  SupplierChanged: 1,
};
