import type ExcelJS from 'exceljs';
import { once } from 'node:events';
import { type Writable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { type Column, valueAt } from './export-specs.js';

export const FORMATS = ['csv', 'xlsx', 'ndjson'] as const;
export type ExportFormat = (typeof FORMATS)[number];

/** Writes documents one by one to a stream, honouring its back-pressure; `finish` ends the stream. */
export interface DocumentWriter {
  write(doc: ViewDocument): Promise<void>;
  finish(): Promise<void>;
}

export interface WriterOptions {
  readonly format: ExportFormat;
  readonly columns: readonly Column[];
  /** The worksheet name (XLSX). */
  readonly sheet: string;
  /** A UTF-8 byte order mark first (CSV), so that Excel reads non-ASCII text right. */
  readonly bom?: boolean;
}

export async function documentWriter(out: Writable, options: WriterOptions): Promise<DocumentWriter> {
  switch (options.format) {
    case 'csv':
      return new CsvWriter(out, options.columns, options.bom ?? false);
    case 'ndjson':
      return new NdjsonWriter(out);
    case 'xlsx': {
      // Loaded only for XLSX: exceljs takes half a second to import.
      const { default: excel } = await import('exceljs');
      return new XlsxWriter(excel, out, options.columns, options.sheet);
    }
  }
}

const CHUNK = 64 * 1024;

/** Text lines gathered into chunks; waits for 'drain' when the stream's buffer is full. */
abstract class TextWriter implements DocumentWriter {
  private buffered = '';

  constructor(private readonly out: Writable) {}

  abstract write(doc: ViewDocument): Promise<void>;

  protected async line(text: string): Promise<void> {
    this.buffered += `${text}\n`;
    if (this.buffered.length >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffered;
    this.buffered = '';
    if (chunk !== '' && !this.out.write(chunk)) await once(this.out, 'drain');
  }

  async finish(): Promise<void> {
    await this.flush();
    this.out.end();
  }
}

/**
 * RFC 4180: comma separated, CRLF-free values quoted; nested values (order lines, event data) as JSON.
 * Text that a spreadsheet would run as a formula (a customer named `=HYPERLINK(...)`) gets a leading
 * apostrophe, as OWASP advises for CSV meant for Excel; numbers stay numbers.
 */
class CsvWriter extends TextWriter {
  private headerWritten = false;

  constructor(
    out: Writable,
    private readonly columns: readonly Column[],
    private readonly bom: boolean,
  ) {
    super(out);
  }

  async write(doc: ViewDocument): Promise<void> {
    await this.header();
    await this.line(
      this.columns
        .map((column) => {
          const value = valueAt(doc, column.field);
          return csvField(typeof value === 'string' ? inertText(value) : cellText(value));
        })
        .join(','),
    );
  }

  private async header(): Promise<void> {
    if (this.headerWritten) return;
    this.headerWritten = true;
    await this.line(`${this.bom ? '\uFEFF' : ''}${this.columns.map((column) => csvField(column.header)).join(',')}`);
  }

  override async finish(): Promise<void> {
    // An empty export still has its header.
    await this.header();
    await super.finish();
  }
}

/** One JSON document per line, as stored in the view. */
class NdjsonWriter extends TextWriter {
  async write(doc: ViewDocument): Promise<void> {
    await this.line(JSON.stringify(doc));
  }
}

/** exceljs's streaming writer: each row is committed (serialised and released) as it is added. */
class XlsxWriter implements DocumentWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  private rows = 0;

  constructor(
    excel: typeof ExcelJS,
    out: Writable,
    private readonly columns: readonly Column[],
    sheet: string,
  ) {
    this.workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.sheet = this.workbook.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    this.sheet.columns = columns.map((column) => ({ header: column.header, key: column.field, width: column.width ?? Math.max(10, column.header.length + 2) }));
    this.sheet.getRow(1).font = { bold: true };
    this.sheet.getRow(1).commit();
  }

  async write(doc: ViewDocument): Promise<void> {
    const values = this.columns.map((column) => {
      const value = valueAt(doc, column.field);
      if (value === null || value === undefined) return null;
      if (column.numeric && typeof value === 'number') return value;
      return cellText(value);
    });
    this.sheet.addRow(values).commit();
    // Let the zip stream drain into the output now and then.
    if (++this.rows % 1000 === 0) await yieldToEventLoop();
  }

  async finish(): Promise<void> {
    this.sheet.commit();
    await this.workbook.commit();
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A text cell a spreadsheet will not evaluate: formula triggers (= + - @ tab CR) behind an apostrophe. */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
