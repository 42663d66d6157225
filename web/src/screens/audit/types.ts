import type { Order } from '../../api/types';

/** Who may read an order's history and its state as of a time (API.md "Audit"; admin always may). */
export const TIMELINE_READERS = ['auditor', 'approver', 'finance'] as const;

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

/** The browser's time zone (IANA name), where people type and read times. */
function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utcMs` (milliseconds; DST included). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((item) => item.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A wall-clock time in `timeZone` as a UTC instant; undefined for a date or time that does not exist. */
function wallClockToUtc(fields: number[], timeZone: string): number | undefined {
  const [year, month, day, hour, minute, second] = fields;
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(guess);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  // The zone's offset at the guess, then again at the result (a DST change between the two).
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

/**
 * A time typed by a person as an ISO-8601 UTC time: `2026-12-01T08:30:00Z` or with an offset as given;
 * `2026-12-01 16:30[:05]` (or with `T`) on the wall clock of `timeZone` (the browser's), `2026-12-01` at
 * midnight there. Undefined when empty or not such a time.
 */
export function parseTypedTime(text: string | undefined, timeZone: string = browserZone()): string | undefined {
  const typed = text?.trim().replace(/^(\d{4}-\d{2}-\d{2}) +/, '$1T');
  if (!typed) return undefined;
  if (ZONED_TIME.test(typed)) {
    const time = Date.parse(typed);
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  const local = LOCAL_TIME.exec(typed);
  if (!local) return undefined;
  const utc = wallClockToUtc(local.slice(1).map((field) => Number(field ?? 0)), timeZone);
  return utc === undefined ? undefined : new Date(utc).toISOString();
}

/** An event's time to the second, in the browser's zone (events of one command share a minute). */
export function eventTime(iso: string | null, locale: string, timeZone?: string): string {
  if (!iso) return '';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(time);
}
