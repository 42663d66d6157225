import type { Order } from '../../api/types';

/** One event of an order's history (GET /api/orders/:id/history) or of the audit trail (GET /api/audit). */
export interface HistoryEntry {
  readonly position: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly occurredAt: string | null;
  readonly actor: { readonly id: string; readonly roles: readonly string[] } | null;
  readonly reason?: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly summary: string;
  readonly data: unknown;
}

export interface AuditEntry extends HistoryEntry {
  readonly orderId: string | null;
}

export interface OrderHistory {
  readonly orderId: string;
  readonly events: HistoryEntry[];
}

/** GET /api/orders/:id/state: the order rebuilt from the log as it was then. */
export interface OrderState extends Order {
  readonly asOf?: string;
  readonly atPosition?: string;
}

/** A link of a hash chain that does not hold, or an event the log could not read. */
export interface ChainBreak {
  readonly streamId: string | null;
  readonly revision: number | null;
  readonly position: string | null;
  readonly reason: string;
}

/** GET /api/audit/verify. */
export interface Verification {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly brokenAt?: ChainBreak;
  readonly breaks: ChainBreak[];
}

/**
 * A time typed by a person as an ISO-8601 UTC time: `2026-12-01T08:30:00Z` or with an offset as given,
 * `2026-12-01 16:30[:05]` (or with `T`) in the browser's zone, `2026-12-01` at midnight there.
 * Undefined when empty or not such a time.
 */
export function parseTypedTime(text: string | undefined): string | undefined {
  const typed = text?.trim().replace(/^(\d{4}-\d{2}-\d{2})[ T]/, '$1T');
  if (!typed) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(typed);
  const local = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(typed);
  if (!zoned && !local) return undefined;
  // Without a zone, a date and time is local time (ECMAScript), a date alone would be UTC: give it a time.
  const time = new Date(zoned || typed.includes('T') ? typed : `${typed}T00:00`);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** An event's time to the second, in the browser's zone (events of one command share a minute). */
export function eventTime(iso: string | null, locale: string): string {
  if (!iso) return '';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(time);
}
