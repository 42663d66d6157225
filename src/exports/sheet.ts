import type ExcelJS from 'exceljs';
import { once } from 'node:events';
import { type Writable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { ConfigError } from '../platform/config/config.js';
import { majorUnits, minorDigits } from './money.js';

export const SHEET_FORMATS = ['csv', 'xlsx'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<SheetFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * How a column is written. `money`: integer minor units in, a number in major units of the row's `currency` out
 * (CSV `128.00`; XLSX a number cell shown with the currency's decimals); `time`: an ISO time in, a real date out in
 * the export's time zone (XLSX a date cell showing that zone's wall clock; CSV ISO 8601 with that zone's offset,
 * `2026-03-01T16:00:00.000+08:00`); `json`: a nested value as JSON text.
 */
export type ColumnKind = 'text' | 'integer' | 'money' | 'time' | 'json';

export interface SheetColumn {
  readonly header: string;
  readonly kind: ColumnKind;
  readonly width?: number;
  /** This column holds the rows' currency (else the column headed `currency` does). */
  readonly currency?: true;
}

/** A cell as a row builder gives it: the view's own value (minor units, ISO text), converted by the writer. */
export type Cell = unknown;

export interface SheetLayout {
  /** The worksheet's name (XLSX) and the file's stem. */
  readonly sheet: string;
  /** A `money` column needs a `currency` column in the same layout. */
  readonly columns: readonly SheetColumn[];
}

/** Writes rows to a stream as they come, waiting while the stream is full; `finish` ends the stream. */
export interface SheetWriter {
  row(cells: readonly Cell[]): Promise<void>;
  finish(): Promise<void>;
}

/** The reader went away (or the stream failed) before the export was complete. */
export class SheetAborted extends Error {
  constructor() {
    super('the output closed before the export was complete');
    this.name = 'SheetAborted';
  }
}

export interface SheetOptions {
  /** CSV: a UTF-8 byte order mark first. */
  readonly bom: boolean;
  /** The IANA time zone times are written in; UTC when absent. */
  readonly zone?: string;
}

export async function sheetWriter(out: Writable, format: SheetFormat, layout: SheetLayout, options: SheetOptions): Promise<SheetWriter> {
  const currency = layout.columns.findIndex((column) => column.currency === true || column.header === 'currency');
  if (currency < 0 && layout.columns.some((column) => column.kind === 'money')) throw new Error(`sheet ${layout.sheet}: money without a currency column`);
  const clock = new WallClock(options.zone ?? 'UTC');
  if (format === 'csv') return new CsvSheet(out, layout, currency, options.bom, clock);
  // Loaded only for XLSX: exceljs takes half a second to import.
  const { default: excel } = await import('exceljs');
  return new XlsxSheet(excel, out, layout, currency, clock);
}

/** An instant as the wall clock of one time zone shows it (the runtime's tz database, daylight saving included). */
class WallClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /** The zone's wall clock as a Date whose UTC fields read it (what a spreadsheet date cell holds), and the offset in minutes. */
  at(iso: string): { readonly wall: Date; readonly offsetMinutes: number } | undefined {
    const instant = Date.parse(iso);
    if (Number.isNaN(instant)) return undefined;
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(instant)) parts[part.type] = part.value;
    const wallSeconds = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    const offsetMinutes = Math.round((wallSeconds - Math.floor(instant / 1000) * 1000) / 60_000);
    return { wall: new Date(instant + offsetMinutes * 60_000), offsetMinutes };
  }

  /** ISO 8601 with the zone's offset: `2026-03-01T16:00:00.000+08:00`. */
  iso(time: string): string {
    const local = this.at(time);
    if (local === undefined) return time;
    const minutes = Math.abs(local.offsetMinutes);
    const offset = `${local.offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return `${local.wall.toISOString().slice(0, -1)}${offset}`;
  }
}

/** A writable stream, Node's own or readable-stream's (archiver's), as far as waiting on it goes. */
interface Drainable {
  once(event: 'drain', listener: () => void): unknown;
  readonly writableNeedDrain?: boolean;
  readonly _writableState?: { readonly needDrain?: boolean };
}

/** Resolves once `stream` can take more; rejects if `out` closes first. */
async function room(out: Writable, stream: Drainable = out): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new SheetAborted();
  if (!(stream.writableNeedDrain ?? stream._writableState?.needDrain ?? false)) return;
  const closed = once(out, 'close').then(() => {
    throw new SheetAborted();
  });
  try {
    await Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), closed]);
  } finally {
    closed.catch(() => undefined);
  }
}

const CHUNK = 64 * 1024;

/** RFC 4180 with CRLF line ends, UTF-8 with a byte order mark when asked (Excel then reads Chinese right). */
class CsvSheet implements SheetWriter {
  private buffered: string;

  constructor(
    private readonly out: Writable,
    private readonly layout: SheetLayout,
    private readonly currency: number,
    bom: boolean,
    private readonly clock: WallClock,
  ) {
    this.buffered = `${bom ? '\uFEFF' : ''}${layout.columns.map((column) => csvField(column.header)).join(',')}\r\n`;
  }

  async row(cells: readonly Cell[]): Promise<void> {
    const currency = String(cells[this.currency] ?? '');
    this.buffered += `${this.layout.columns.map((column, index) => csvField(csvText(column.kind, cells[index], currency, this.clock))).join(',')}\r\n`;
    if (this.buffered.length >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    await room(this.out);
    const chunk = this.buffered;
    this.buffered = '';
    this.out.write(chunk);
  }

  async finish(): Promise<void> {
    await this.flush();
    await room(this.out);
    this.out.end();
  }
}

function csvText(kind: ColumnKind, value: Cell, currency: string, clock: WallClock): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'money':
      return typeof value === 'number' ? majorUnits(value, currency) : String(value);
    case 'time':
      return typeof value === 'string' ? clock.iso(value) : String(value);
    case 'json':
      return inertText(JSON.stringify(value));
    default:
      return typeof value === 'string' ? inertText(value) : typeof value === 'object' ? JSON.stringify(value) : String(value as number | boolean);
  }
}

/** A text cell a spreadsheet will not evaluate: formula triggers (= + - @ tab CR) behind an apostrophe (OWASP CSV injection). */
function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** exceljs's streaming WorkbookWriter: each row is committed (serialised, released) as it is added; frozen header, autofilter. */
class XlsxSheet implements SheetWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  private rows = 0;

  constructor(
    excel: typeof ExcelJS,
    private readonly out: Writable,
    private readonly layout: SheetLayout,
    private readonly currency: number,
    private readonly clock: WallClock,
  ) {
    this.workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.sheet = this.workbook.addWorksheet(layout.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    this.sheet.columns = layout.columns.map((column) => ({ header: column.header, width: column.width ?? Math.max(10, column.header.length + 2) }));
    this.sheet.getRow(1).font = { bold: true };
    this.sheet.getRow(1).commit();
  }

  async row(cells: readonly Cell[]): Promise<void> {
    const currency = String(cells[this.currency] ?? '');
    const row = this.sheet.addRow(this.layout.columns.map((column, index) => xlsxValue(column.kind, cells[index], currency, this.clock)));
    this.layout.columns.forEach((column, index) => {
      if (row.getCell(index + 1).value === null) return;
      if (column.kind === 'time') row.getCell(index + 1).numFmt = DATE_FORMAT;
      if (column.kind === 'money') row.getCell(index + 1).numFmt = moneyFormat(currency);
    });
    row.commit();
    if (++this.rows % 100 !== 0) return;
    // Let the zip compress (zlib works off the event loop), then wait while it holds more than its buffer of the
    // sheet's XML (exceljs writes into it without waiting), then while the output is full.
    await yieldToEventLoop();
    const input = zipInput(this.sheet);
    if (input !== undefined) await room(this.out, input);
    await room(this.out);
  }

  async finish(): Promise<void> {
    this.sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: this.rows + 1, column: this.layout.columns.length } };
    this.sheet.commit();
    await this.workbook.commit();
  }
}

/**
 * The stream that takes the sheet's XML into the zip (archiver wraps exceljs's sheet buffer in a PassThrough,
 * exceljs 4.4): its fill level is how far the compressed output lags behind the rows added. Undefined if the
 * library's shape is not the one known here (then only the output's own back-pressure bounds the export).
 */
function zipInput(sheet: ExcelJS.Worksheet): Drainable | undefined {
  const buffer = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream;
  const input = buffer?.pipes?.[0] as Drainable | undefined;
  return input !== undefined && typeof input.once === 'function' && typeof (input.writableNeedDrain ?? input._writableState?.needDrain) === 'boolean' ? input : undefined;
}

function xlsxValue(kind: ColumnKind, value: Cell, currency: string, clock: WallClock): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'money':
      // The exact decimal text read as a number: no float division on the way.
      return typeof value === 'number' ? Number(majorUnits(value, currency)) : String(value);
    case 'time': {
      const local = typeof value === 'string' ? clock.at(value) : undefined;
      return local === undefined ? String(value) : local.wall;
    }
    case 'integer':
      return typeof value === 'number' ? value : String(value);
    case 'json':
      return JSON.stringify(value);
    default:
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value as number | boolean);
  }
}

function moneyFormat(currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`;
}

/**
 * The time zone exports write times in: the business time zone (`JXC_BUSINESS_TZ`, default Asia/Shanghai, the same
 * variable analytics count days in), so a spreadsheet shows the times the business lives by.
 */
export function exportTimeZone(env: NodeJS.ProcessEnv): string {
  const value = env.JXC_BUSINESS_TZ?.trim();
  const zone = value === undefined || value === '' ? 'Asia/Shanghai' : value;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(`JXC_BUSINESS_TZ must be an IANA time zone like Asia/Shanghai, got ${JSON.stringify(value)}`);
  }
}
