import { ORDER_KINDS, type OrderKind } from '../order/commands.js';
import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText } from '../shared/validation.js';
import { type ClaimNumber, type TakeNumber } from './commands.js';
import { type NumberClaimed, type NumberTaken } from './events.js';
import { type NumberClaim, type Sequence } from './state.js';

/**
 * Readable document numbers (API.md "Orders in parts"): `SO-<UTC year>-<6 digits>` for sales,
 * `PO-<UTC year>-<6 digits>` for purchases. A series is one stream; the n-th event of it is number n, so
 * numbers are strictly increasing per series and never handed out twice (exact expected revisions). Every
 * number an order uses, generated or given, is claimed on its own stream first: one order per number.
 */

/** `SO-2026` / `PO-2026`: the prefix of a kind's numbers in a year, and the name of its sequence. */
export function documentSeries(kind: OrderKind, year: number): string {
  return `${kind === 'sale' ? 'SO' : 'PO'}-${year}`;
}

/** `SO-2026-000007`: six digits, more only past 999,999 numbers in a year. */
export function documentNumber(series: string, sequence: number): string {
  return `${series}-${String(sequence).padStart(6, '0')}`;
}

export function decideTake(command: TakeNumber, state: Sequence, _context: Context): NumberTaken[] {
  new FieldChecks()
    .require(isNonEmptyText(command.orderId), 'orderId', 'is required')
    .require(ORDER_KINDS.includes(command.kind), 'kind', `must be one of ${ORDER_KINDS.join(', ')}`)
    .require(Number.isInteger(command.year) && command.year >= 1000 && command.year <= 9999, 'year', 'must be a four-digit year')
    .throwIfAny();
  const sequence = state.taken + 1;
  return [{ type: 'NumberTaken', data: { number: documentNumber(documentSeries(command.kind, command.year), sequence), sequence, orderId: command.orderId } }];
}

/** The first claim wins; the same order claiming its number again is a repeat; another order gets 409 already_exists. */
export function decideClaim(command: ClaimNumber, state: NumberClaim, _context: Context): NumberClaimed[] {
  new FieldChecks()
    .require(isNonEmptyText(command.number), 'number', 'is required')
    .require(isNonEmptyText(command.orderId), 'orderId', 'is required')
    .throwIfAny();
  if (state === null) return [{ type: 'NumberClaimed', data: { number: command.number, orderId: command.orderId, origin: command.origin } }];
  if (state.orderId === command.orderId) return [];
  // The other order's id is not named: the caller may not be allowed to see it.
  throw new DomainError('already_exists', `number ${command.number} is already taken by another order`, { field: 'number', number: command.number });
}
