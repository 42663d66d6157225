import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { type Readable } from 'node:stream';

/** A row of the file as a spreadsheet shows it: `row` counts from 1 (the header's), cells as text, left to right. */
export interface SheetRecord {
  readonly row: number;
  readonly values: readonly string[];
}

/** A file that cannot be read as CSV or XLSX past `row` (the rows before it were read). */
export class UnreadableFile extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The non-empty rows of a CSV or XLSX stream, read as the bytes arrive (never the whole file in memory). */
export async function* sheetRecords(input: Readable, type: typeof CSV_TYPE | typeof XLSX_TYPE): AsyncGenerator<SheetRecord> {
  for await (const record of type === CSV_TYPE ? csvRecords(input) : xlsxRecords(input)) {
    if (record.values.some((value) => value.trim() !== '')) yield record;
  }
}

/**
 * csv-parse, streaming: RFC 4180 quoting (a quoted cell may hold commas and line breaks), a UTF-8 BOM (what
 * Excel writes) dropped. Each record is one spreadsheet row, an empty line too, so row numbers match.
 */
async function* csvRecords(input: Readable): AsyncGenerator<SheetRecord> {
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  input.once('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield { row: ++row, values: record };
  } catch (error) {
    throw new UnreadableFile(row + 1, `not readable as CSV at row ${row + 1}: ${(error as Error).message}`);
  }
}

/** exceljs's streaming reader (the library the CLI export writes with): the first worksheet only. */
async function* xlsxRecords(input: Readable): AsyncGenerator<SheetRecord> {
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let row = 0;
  try {
    for await (const sheet of reader) {
      for await (const line of sheet) {
        row = line.number;
        yield { row, values: cellTexts(line) };
      }
      // Only the first worksheet is imported; the rest of the file is read past, not kept.
      return;
    }
  } catch (error) {
    throw new UnreadableFile(row + 1, `not readable as XLSX after row ${row}: ${(error as Error).message}`);
  }
}

/** A worksheet row's cells as text (exceljs: `values` is 1-based, with rich text, formulas and dates as objects). */
function cellTexts(line: ExcelJS.Row): string[] {
  const values = Array.isArray(line.values) ? line.values.slice(1) : [];
  return Array.from(values, (value) => cellText(value as ExcelJS.CellValue));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}
