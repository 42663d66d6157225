import { EMPTY_BOOK, type Entry, type JournalLine, journalLines, type OrderBook, postCreditEvent, postOrderEvent, postPaymentEvent, postStockEvent } from '../domain/accounting/postings.js';
import { type OrderEvent } from '../domain/order/events.js';
import { streamCategory } from '../domain/shared/streams.js';
import { businessEventOf } from './business-events.js';
import { type ProjectedEvent, type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/** One voucher (凭证): the journal lines of one business event. `entryId` is the event's position. */
export interface JournalVoucher {
  readonly entryId: string;
  readonly position: string;
  readonly occurredAt: string | null;
  readonly eventType: string;
  readonly streamId: string;
  readonly orderId: string | null;
  readonly currency: string;
  readonly summary: string;
  readonly lines: readonly JournalLine[];
}

/**
 * A book of the journal: every voucher of one order (its own events, its payment stream and the stock movements
 * made for it, with what the posting rules remember of the order), or the single voucher of an event that
 * concerns no order (a manual receipt, a stocktake, an issue, a transfer, store credit). `firstAt` and `lastAt`
 * bound the vouchers' times (null while there is none), for the journal's date filters.
 */
export interface JournalBookView extends ViewDoc {
  readonly orderId: string | null;
  readonly book: OrderBook | null;
  readonly firstAt: string | null;
  readonly lastAt: string | null;
  readonly vouchers: readonly JournalVoucher[];
}

const orderBookId = (orderId: string): string => `order:${orderId}`;
const eventBookId = (event: ProjectedEvent): string => `event:${event.position}`;

interface Classified {
  readonly orderId: string | null;
  /** The voucher of an event outside any order, decided without state. */
  readonly entry?: Entry | null;
}

function classify(event: ProjectedEvent): Classified | null {
  const data = event.data as Record<string, unknown>;
  const category = streamCategory(event.streamId);
  if (category === 'order' || category === 'payment') return typeof data.orderId === 'string' ? { orderId: data.orderId } : null;
  if (category === 'stock') {
    const entry = postStockEvent(null, event.type, data as never);
    if (entry === null) return null;
    return typeof data.orderId === 'string' ? { orderId: data.orderId } : { orderId: null, entry };
  }
  if (category === 'credit') {
    const entry = postCreditEvent(event.type, data as never);
    return entry === null ? null : { orderId: typeof data.orderId === 'string' ? data.orderId : null, entry };
  }
  return null;
}

export const journalView: FoldedView<JournalBookView> = {
  kind: 'folded',
  name: 'journal',
  indexes: [
    { fields: [{ field: 'orderId', direction: 'asc' }] },
    { fields: [{ field: 'lastAt', direction: 'asc' }] },
    { fields: [{ field: 'firstAt', direction: 'asc' }] },
  ],
  documentIds(event) {
    const classified = classify(event);
    if (classified === null) return [];
    return classified.entry === undefined ? [orderBookId(classified.orderId!)] : [eventBookId(event)];
  },
  apply(doc, event, id) {
    const classified = classify(event);
    if (classified === null) return doc;
    if (classified.entry !== undefined) {
      // An event's own book never changes once written.
      if (doc !== null || classified.entry === null) return doc;
      return withVoucher({ id, position: event.position, orderId: classified.orderId, book: null, firstAt: null, lastAt: null, vouchers: [] }, event, classified.entry, classified.orderId);
    }
    const orderId = classified.orderId!;
    const book = doc?.book ?? EMPTY_BOOK;
    const current: JournalBookView = doc ?? { id, position: event.position, orderId, book, firstAt: null, lastAt: null, vouchers: [] };
    const { book: next, entry } = postOf(book, event);
    const updated: JournalBookView = { ...current, book: next, position: event.position };
    return entry === null ? updated : withVoucher(updated, event, entry, orderId);
  },
};

function postOf(book: OrderBook, event: ProjectedEvent): { book: OrderBook; entry: Entry | null } {
  const business = businessEventOf(event);
  const data = event.data as never;
  switch (business?.category) {
    case 'order':
      return postOrderEvent(book, business.event as OrderEvent);
    case 'payment':
      return postPaymentEvent(book, event.type, data);
    case 'stock':
      return { book, entry: postStockEvent(book, event.type, data) };
    default:
      return { book, entry: null };
  }
}

function withVoucher(doc: JournalBookView, event: ProjectedEvent, entry: Entry, orderId: string | null): JournalBookView {
  const occurredAt = event.metadata.occurredAt ?? atOf(event.data);
  const lines = journalLines(entry.postings);
  if (lines.length === 0) return doc;
  const voucher: JournalVoucher = {
    entryId: event.position,
    position: event.position,
    occurredAt,
    eventType: event.type,
    streamId: event.streamId,
    orderId,
    currency: entry.currency,
    summary: entry.summary,
    lines,
  };
  return {
    ...doc,
    position: event.position,
    firstAt: earliest(doc.firstAt, occurredAt),
    lastAt: latest(doc.lastAt, occurredAt),
    vouchers: [...doc.vouchers, voucher],
  };
}

function atOf(data: unknown): string | null {
  const at = (data as { at?: unknown } | null)?.at;
  return typeof at === 'string' ? at : null;
}

const earliest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a <= b ? a : b);
const latest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a >= b ? a : b);
