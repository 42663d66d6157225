import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isOptionalText, optionalText } from '../shared/validation.js';
import { type ChangeCustomer, type ChangeSupplier, type EraseCustomer, type PartyChanges, type PartyCommand } from './commands.js';
import { type PartyEvent, type PartyRecord } from './events.js';
import { type Party, type PartyKind, type PartyState } from './state.js';

const isOptionalEmail = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim()));

/**
 * One rule for both kinds: register once; the same registration again is a repeat. An erased customer stays
 * erased: its id is never registered again (the same registration is refused, its data being gone).
 */
export function decide(command: PartyCommand, state: PartyState, context: Context): PartyEvent[] {
  if (command.type === 'EraseCustomer') return erase(command, state);
  if (command.type === 'ChangeCustomer' || command.type === 'ChangeSupplier') return change(command, state, context);
  new FieldChecks()
    .require(isNonEmptyText(command.id), 'id', 'is required')
    .require(isNonEmptyText(command.name), 'name', 'is required')
    .require(isOptionalText(command.phone), 'phone', 'must be text')
    .require(isOptionalEmail(command.email), 'email', 'must be an email address')
    .require(isOptionalText(command.address), 'address', 'must be text')
    .throwIfAny();
  const kind: PartyKind = command.type === 'RegisterCustomer' ? 'customer' : 'supplier';
  const record: PartyRecord = {
    id: command.id,
    name: command.name.trim(),
    phone: optionalText(command.phone),
    email: optionalText(command.email),
    address: optionalText(command.address),
  };
  if (state === null) {
    return [kind === 'customer' ? { type: 'CustomerRegistered', data: record } : { type: 'SupplierRegistered', data: record }];
  }
  const fields = Object.keys(record) as (keyof PartyRecord)[];
  if (state.kind === kind && !state.erased && fields.every((field) => state[field] === record[field])) return [];
  throw new DomainError('already_exists', `${kind} ${command.id} already exists`, { id: command.id });
}

/** Erasing twice is a repeat; a supplier or an unknown id is not a customer to erase. */
function erase(command: EraseCustomer, state: PartyState): PartyEvent[] {
  new FieldChecks().require(isNonEmptyText(command.reason), 'reason', 'is required').throwIfAny();
  if (state?.kind !== 'customer') throw new DomainError('not_found', `no customer ${command.id}`, { id: command.id });
  if (state.erased) return [];
  return [{ type: 'CustomerErased', data: { id: command.id, reason: command.reason.trim() } }];
}

const PERSONAL_CHANGES = ['name', 'phone', 'email', 'address'] as const;

/**
 * A PATCH of a customer or supplier: each field given is checked, then only those that differ from the party now
 * are recorded (nothing changed: nothing appended). An erased customer's personal data are gone for good: a change
 * of them is refused (409 invalid_transition); it may still be made inactive.
 */
function change(command: ChangeCustomer | ChangeSupplier, state: PartyState, context: Context): PartyEvent[] {
  const kind: PartyKind = command.type === 'ChangeCustomer' ? 'customer' : 'supplier';
  if (state?.kind !== kind) throw new DomainError('not_found', `no ${kind} ${command.id}`, { id: command.id });
  const given = command.changes;
  new FieldChecks()
    .require(given.name === undefined || isNonEmptyText(given.name), 'name', 'must not be blank')
    .require(isOptionalText(given.phone), 'phone', 'must be text or null')
    .require(isOptionalEmail(given.email), 'email', 'must be an email address or null')
    .require(isOptionalText(given.address), 'address', 'must be text or null')
    .require(given.active === undefined || typeof given.active === 'boolean', 'active', 'must be true or false')
    .throwIfAny();
  const next: Partial<Record<keyof PartyChanges, string | boolean | null>> = {};
  for (const field of PERSONAL_CHANGES) if (given[field] !== undefined) next[field] = field === 'name' ? given.name!.trim() : optionalText(given[field]);
  if (given.active !== undefined) next.active = given.active;
  const changed = Object.fromEntries(Object.entries(next).filter(([field, value]) => state[field as keyof Party] !== value)) as PartyChanges;
  if (state.erased && PERSONAL_CHANGES.some((field) => field in changed)) {
    throw new DomainError('invalid_transition', `the personal data of customer ${command.id} were erased; they cannot be changed`, { id: command.id });
  }
  if (Object.keys(changed).length === 0) return [];
  const data = { id: command.id, changes: changed, changedBy: context.actor.id };
  return [kind === 'customer' ? { type: 'CustomerChanged', data } : { type: 'SupplierChanged', data }];
}
