import { Inject, Injectable } from '@nestjs/common';

import { accountOf } from '../../domain/accounting/chart.js';
import { type TrialBalance, trialBalance } from '../../domain/accounting/trial-balance.js';
import { type JournalBookView, type JournalVoucher } from '../../projections/index.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { READ_STORE, type ReadStore, type ViewDocument, type ViewFilter } from '../platform/read-store/read-store.port.js';

/** One journal line as GET /api/journal answers it (API.md "Money"). */
export interface JournalEntry {
  /** `<position>:<line>`: the event's position and the line's number in its voucher, from 1. */
  readonly entryId: string;
  readonly position: string;
  readonly occurredAt: string | null;
  readonly account: string;
  readonly accountName: string;
  readonly debit: number;
  readonly credit: number;
  readonly currency: string;
  readonly orderId: string | null;
  readonly sku: string | null;
  readonly eventType: string;
  readonly summary: string;
}

export interface JournalFilter {
  /** Inclusive, ISO. */
  readonly from?: string;
  /** Exclusive, ISO. */
  readonly to?: string;
  readonly account?: string;
  readonly orderId?: string;
}

/**
 * Reads the `journal` view: the vouchers whose time is in the range, in time order (then log order), as entries.
 * A book holds the vouchers of one order, so the view is read by books whose vouchers' times overlap the range.
 */
@Injectable()
export class JournalReader {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async vouchers(filter: JournalFilter): Promise<JournalVoucher[]> {
    const query: Record<string, ViewFilter[string]> = {};
    if (filter.orderId !== undefined) query.orderId = filter.orderId;
    if (filter.from !== undefined) query.lastAt = { $gte: filter.from };
    if (filter.to !== undefined) query.firstAt = { $lt: filter.to };
    const found: JournalVoucher[] = [];
    for await (const book of this.views.scan<JournalBookView & ViewDocument>('journal', { filter: query, pageSize: 500 })) {
      for (const voucher of book.vouchers) {
        if (filter.from !== undefined && (voucher.occurredAt === null || voucher.occurredAt < filter.from)) continue;
        if (filter.to !== undefined && (voucher.occurredAt === null || voucher.occurredAt >= filter.to)) continue;
        if (filter.account !== undefined && !voucher.lines.some((line) => line.account === filter.account)) continue;
        found.push(voucher);
      }
    }
    return found.sort((a, b) => ((a.occurredAt ?? '') < (b.occurredAt ?? '') ? -1 : (a.occurredAt ?? '') > (b.occurredAt ?? '') ? 1 : this.events.comparePositions(a.position, b.position)));
  }

  async entries(filter: JournalFilter): Promise<JournalEntry[]> {
    const vouchers = await this.vouchers(filter);
    return vouchers.flatMap((voucher) => entriesOf(voucher).filter((entry) => filter.account === undefined || entry.account === filter.account));
  }

  /** Σ debit and Σ credit per account over every voucher at or before `asOf`. */
  async trialBalance(asOf: string): Promise<TrialBalance> {
    const vouchers = await this.vouchers({ to: nextMillisecond(asOf) });
    return trialBalance(vouchers.flatMap((voucher) => voucher.lines));
  }
}

function entriesOf(voucher: JournalVoucher): JournalEntry[] {
  return voucher.lines.map((line, index) => ({
    entryId: `${voucher.position}:${index + 1}`,
    position: voucher.position,
    occurredAt: voucher.occurredAt,
    account: line.account,
    accountName: accountOf(line.account)?.name ?? line.account,
    debit: line.debit,
    credit: line.credit,
    currency: voucher.currency,
    orderId: voucher.orderId,
    sku: line.sku,
    eventType: voucher.eventType,
    summary: voucher.summary,
  }));
}

function nextMillisecond(iso: string): string {
  return new Date(new Date(iso).getTime() + 1).toISOString();
}
