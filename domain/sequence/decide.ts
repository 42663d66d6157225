import { ORDER_KINDS, type OrderKind } from '../order/commands.js';
import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText } from '../shared/validation.js';
import { type ClaimNumber, type ReserveNumber, type TakeNumber } from './commands.js';
import { type NumberClaimed, type SequenceEvent } from './events.js';
import { type NumberClaim, type Sequence } from './state.js';

/**
 * Readable document numbers (API.md "Orders in parts"): `SO-<UTC year>-<6 digits>` for sales,
 * `PO-<UTC year>-<6 digits>` for purchases. A series is one stream (exact expected revisions): it hands out
 * numbers in strictly increasing order, never twice, and skips the ones clients gave in its own form
 * (reserved on the same stream, so a generated number needs no other check). A client number of any other form
 * is claimed on its own stream (`number-<number>`): one order per number.
 */

/** `SO-2026` / `PO-2026`: the prefix of a kind's numbers in a year, and the name of its sequence. */
export function documentSeries(kind: OrderKind, year: number): string {
  return `${kind === 'sale' ? 'SO' : 'PO'}-${year}`;
}

/** `SO-2026-000007`: six digits, more only past 999,999 numbers in a year. */
export function documentNumber(series: string, sequence: number): string {
  return `${series}-${String(sequence).padStart(6, '0')}`;
}

/** The series and sequence of a number in a series' own form (`SO-2026-000050` → SO-2026, 50); null for any other. */
export function seriesNumberOf(number: string): { series: string; sequence: number } | null {
  const match = /^((?:SO|PO)-\d{4})-(\d{6,15})$/.exec(number);
  if (match === null) return null;
  const sequence = Number(match[2]);
  // Only the canonical spelling: `SO-2026-0000050` is another string than the series would ever hand out.
  return sequence > 0 && documentNumber(match[1], sequence) === number ? { series: match[1], sequence } : null;
}

export function decideSequence(command: TakeNumber | ReserveNumber, state: Sequence, _context: Context): SequenceEvent[] {
  return command.type === 'TakeNumber' ? decideTake(command, state) : decideReserve(command, state);
}

function decideTake(command: TakeNumber, state: Sequence): SequenceEvent[] {
  new FieldChecks()
    .require(isNonEmptyText(command.orderId), 'orderId', 'is required')
    .require(ORDER_KINDS.includes(command.kind), 'kind', `must be one of ${ORDER_KINDS.join(', ')}`)
    .require(Number.isInteger(command.year) && command.year >= 1000 && command.year <= 9999, 'year', 'must be a four-digit year')
    .throwIfAny();
  let sequence = state.taken + 1;
  while (state.reserved.some((entry) => entry.sequence === sequence)) sequence++;
  return [{ type: 'NumberTaken', data: { number: documentNumber(documentSeries(command.kind, command.year), sequence), sequence, orderId: command.orderId } }];
}

/** A client's number of this series: free above what was handed out and not reserved by another order. */
function decideReserve(command: ReserveNumber, state: Sequence): SequenceEvent[] {
  new FieldChecks()
    .require(isNonEmptyText(command.orderId), 'orderId', 'is required')
    .require(Number.isSafeInteger(command.sequence) && command.sequence > 0, 'number', 'must be a number of the series')
    .throwIfAny();
  const holder = state.reserved.find((entry) => entry.sequence === command.sequence);
  if (holder?.orderId === command.orderId) return [];
  if (holder !== undefined || command.sequence <= state.taken) {
    // The other order's id is not named: the caller may not be allowed to see it.
    throw new DomainError('already_exists', `number ${command.number} is already taken by another order`, { field: 'number', number: command.number });
  }
  return [{ type: 'NumberReserved', data: { number: command.number, sequence: command.sequence, orderId: command.orderId } }];
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
