import { accountOf } from '../../domain/accounting/chart.js';
import { type JournalBookView, type JournalVoucher } from '../../projections/index.js';
import { type SheetSpec } from '../exports/rows.js';
import { type ColumnKind, type SheetColumn } from '../exports/sheet.js';

/** A voucher as the export numbers it: its business day and its number within that month (记-1, 记-2, …). */
export interface NumberedVoucher {
  readonly voucher: JournalVoucher;
  readonly day: string;
  readonly number: number;
}

const column = (header: string, kind: ColumnKind = 'text', width?: number, currency?: true): SheetColumn =>
  ({ header, kind, ...(width === undefined ? {} : { width }), ...(currency ? { currency } : {}) });

/**
 * The voucher export (docs/journal.md): one voucher per event, one row per line, in the column order of the voucher
 * imports of 金蝶 KIS and 用友 T3 (日期, 凭证字, 凭证号, 摘要, 科目代码, 科目名称, 借方, 贷方, 币别), money in major units;
 * then where each line comes from (entry id, order, sku, event type).
 */
export const VOUCHERS: SheetSpec<NumberedVoucher> = {
  sheet: 'journal',
  columns: [
    column('日期 date', 'text', 12), column('凭证字 word', 'text', 6), column('凭证号 number', 'integer', 8), column('摘要 summary', 'text', 40),
    column('科目代码 account code', 'text', 10), column('科目名称 account name', 'text', 16), column('借方 debit', 'money', 14), column('贷方 credit', 'money', 14),
    column('币别 currency', 'text', 8, true), column('entryId', 'text', 14), column('orderId', 'text', 22), column('sku', 'text', 16), column('eventType', 'text', 24),
  ],
  rows: ({ voucher, day, number }) =>
    voucher.lines.map((line, index) => [
      day, '记', number, voucher.summary, line.account, accountOf(line.account)?.nameZh ?? line.account, line.debit, line.credit, voucher.currency,
      `${voucher.position}:${index + 1}`, voucher.orderId, line.sku, voucher.eventType,
    ]),
};

/** Numbers vouchers (in time order) from 1 in each month of the business time zone, dated by its business day. */
export function numberVouchers(vouchers: readonly JournalVoucher[], zone: string): NumberedVoucher[] {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const counters = new Map<string, number>();
  return vouchers.map((voucher) => {
    const day = voucher.occurredAt === null ? '' : format.format(new Date(voucher.occurredAt));
    const month = day.slice(0, 7);
    const number = (counters.get(month) ?? 0) + 1;
    counters.set(month, number);
    return { voucher, day, number };
  });
}

/**
 * The `journal` view's books for `jxc export journal`: one row per journal line of every voucher of the book (books in
 * the order of their first voucher), with the event's time and position, money in major units beside the currency.
 */
export const JOURNAL_BOOKS: SheetSpec<JournalBookView> = {
  sheet: 'journal',
  columns: [
    column('occurredAt', 'time', 20), column('position', 'text', 12), column('eventType', 'text', 24), column('orderId', 'text', 22), column('summary', 'text', 40),
    column('account', 'text', 8), column('accountName', 'text', 16), column('debit', 'money', 14), column('credit', 'money', 14), column('currency'), column('sku', 'text', 16),
  ],
  rows: (book) =>
    book.vouchers.flatMap((voucher) =>
      voucher.lines.map((line) => [
        voucher.occurredAt, voucher.position, voucher.eventType, voucher.orderId, voucher.summary, line.account, accountOf(line.account)?.nameZh ?? line.account,
        line.debit, line.credit, voucher.currency, line.sku,
      ])),
};
