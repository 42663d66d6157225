import { Injectable } from '@nestjs/common';

import { DEFAULT_WAREHOUSE_ID } from '../../domain/shared/defaults.js';
import { validationFailed } from '../platform/http/validation.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { headerProblems, type ImportKind, KIND_SPECS, rowFields, rowProblems } from './import-kinds.js';
import { ImportRows, RowRefused } from './import-rows.js';
import { type SheetRecord, UnreadableFile } from './sheet-rows.js';

/** Rows applied at once: memory holds one batch, never the file. */
const BATCH_ROWS = 64;
/** Errors listed in an answer; beyond them only counted (`errorsNotListed`). */
const MAX_LISTED_ERRORS = 1000;

export interface RowError {
  readonly row: number;
  readonly field: string;
  readonly problem: string;
}

/** API.md's answer: rows read, applied, unchanged (applied before), and each invalid row's problems. */
export interface ImportReport {
  readonly rows: number;
  readonly applied: number;
  readonly unchanged: number;
  readonly errors: readonly RowError[];
  /** Errors beyond the first 1,000, counted but not listed. */
  readonly errorsNotListed: number;
  /** A log position at or after everything the import appended: `minPosition` for reading its rows back. */
  readonly position: string | null;
}

interface Tally {
  rows: number;
  applied: number;
  unchanged: number;
  errors: RowError[];
  errorsNotListed: number;
}

/**
 * Reads the file's rows as they arrive and applies the valid ones in batches of 64 (ImportRows: the normal
 * command path, each row idempotent). The header is checked before any row (400 naming the column); a row's
 * problems are reported with its spreadsheet row number and the others go on. A file unreadable past some row
 * ends the import there, reported as that row's `file` problem: the rows before it stand (the same file again,
 * corrected, answers them `unchanged`). `progress` is told the rows read so far after each batch.
 */
@Injectable()
export class Importer {
  constructor(private readonly importRows: ImportRows) {}

  async run(kind: ImportKind, records: AsyncIterable<SheetRecord>, metadata: CommandMetadata, dryRun: boolean, progress?: (rows: number) => void): Promise<ImportReport> {
    const tally: Tally = { rows: 0, applied: 0, unchanged: 0, errors: [], errorsNotListed: 0 };
    const seen = new Map<string, number>();
    let header: readonly string[] | undefined;
    let batch: { row: number; fields: Record<string, string | number> }[] = [];
    try {
      for await (const { row, values } of records) {
        if (header === undefined) {
          header = checkedHeader(kind, values);
          continue;
        }
        tally.rows++;
        const fields = rowFields(kind, header, values);
        const problems = [...(await rowProblems(kind, fields, lastFilled(values), header.length)), ...repeated(kind, fields, row, seen)];
        if (problems.length > 0) problems.forEach(({ field, problem }) => note(tally, { row, field, problem }));
        else batch.push({ row, fields });
        if (batch.length >= BATCH_ROWS) {
          await this.applyBatch(kind, batch, metadata, dryRun, tally);
          batch = [];
          progress?.(tally.rows);
        }
      }
    } catch (error) {
      if (!(error instanceof UnreadableFile)) throw error;
      note(tally, { row: error.row, field: 'file', problem: error.message });
    }
    if (header === undefined) throw validationFailed([{ field: 'file', problems: ['has no header row (the first row names the columns)'] }]);
    await this.applyBatch(kind, batch, metadata, dryRun, tally);
    progress?.(tally.rows);
    return { ...tally, errors: tally.errors.sort((a, b) => a.row - b.row), position: this.importRows.position() };
  }

  private async applyBatch(kind: ImportKind, batch: readonly { row: number; fields: Record<string, string | number> }[], metadata: CommandMetadata, dryRun: boolean, tally: Tally): Promise<void> {
    const outcomes = await Promise.allSettled(batch.map(({ fields }) => this.importRows.apply(kind, fields, metadata, dryRun)));
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') tally[outcome.value]++;
      else if (outcome.reason instanceof RowRefused) outcome.reason.problems.forEach(({ field, problem }) => note(tally, { row: batch[index].row, field, problem }));
    });
    // Anything else (the store unavailable) is not the row's fault: the import stops with it (503, retry the file).
    const failure = outcomes.find((outcome) => outcome.status === 'rejected' && !(outcome.reason instanceof RowRefused));
    if (failure?.status === 'rejected') throw failure.reason;
  }
}

function checkedHeader(kind: ImportKind, values: readonly string[]): readonly string[] {
  const header = values.slice(0, lastFilled(values)).map((value) => value.trim());
  const problems = headerProblems(kind, header);
  if (problems.length > 0) throw validationFailed(problems.map(({ field, problem }) => ({ field: `header.${field}`, problems: [problem] })));
  return header;
}

/** How many cells count: trailing empty ones (a spreadsheet's untouched columns) do not. */
function lastFilled(values: readonly string[]): number {
  let count = values.length;
  while (count > 0 && values[count - 1].trim() === '') count--;
  return count;
}

/** A row naming what an earlier row of the file named (its sku or id; opening stock: sku and warehouse). */
function repeated(kind: ImportKind, fields: Record<string, string | number>, row: number, seen: Map<string, number>): { field: string; problem: string }[] {
  const field = KIND_SPECS[kind].key;
  const value = fields[field];
  if (value === undefined) return [];
  const key = kind === 'opening-stock' ? `${fields.warehouseId ?? DEFAULT_WAREHOUSE_ID}\n${value}` : String(value);
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, row);
    return [];
  }
  return [{ field, problem: `${String(value)} is on row ${first} already` }];
}

function note(tally: Tally, error: RowError): void {
  if (tally.errors.length < MAX_LISTED_ERRORS) tally.errors.push(error);
  else tally.errorsNotListed++;
}
