import { type DomainEvent } from '../shared/event.js';

export interface PartyRecord {
  readonly id: string;
  readonly name: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
}

export type CustomerRegistered = DomainEvent<'CustomerRegistered', PartyRecord>;
export type SupplierRegistered = DomainEvent<'SupplierRegistered', PartyRecord>;

export type PartyEvent = CustomerRegistered | SupplierRegistered;
export type PartyEventType = PartyEvent['type'];

export const PARTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<PartyEventType, number>> = {
  CustomerRegistered: 1,
  SupplierRegistered: 1,
};
