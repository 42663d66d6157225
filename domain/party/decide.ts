import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isOptionalText, optionalText } from '../shared/validation.js';
import { type EraseCustomer, type PartyCommand } from './commands.js';
import { type PartyEvent, type PartyRecord } from './events.js';
import { type PartyKind, type PartyState } from './state.js';

const isOptionalEmail = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim()));

/**
 * One rule for both kinds: register once; the same registration again is a repeat. An erased customer stays
 * erased: its id is never registered again (the same registration is refused, its data being gone).
 */
export function decide(command: PartyCommand, state: PartyState, _context: Context): PartyEvent[] {
  if (command.type === 'EraseCustomer') return erase(command, state);
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
