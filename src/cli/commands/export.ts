import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { EXIT, usageError } from '../cli-error.js';
import { exportSpec, type ExportSpec, filterFor, type FilterInput } from '../export/export-specs.js';
import { documentWriter, type ExportFormat, FORMATS } from '../export/writers.js';
import { type Output } from '../output.js';
import { type Stores } from '../stores.js';

export interface ExportOptions {
  readonly format: ExportFormat;
  /** A file; absent: stdout. */
  readonly out?: string;
  readonly filters: FilterInput;
  readonly bom?: boolean;
  /** Documents per read store page. */
  readonly pageSize?: number;
}

/** Checks the view, format and filters before any store is opened: bad input costs nothing. */
export function planExport(view: string, options: Pick<ExportOptions, 'format' | 'out' | 'filters'>): { spec: ExportSpec; filter: ReturnType<typeof filterFor> } {
  if (!(FORMATS as readonly string[]).includes(options.format)) throw usageError(`unknown format ${JSON.stringify(options.format)}; formats: ${FORMATS.join(', ')}`);
  const spec = exportSpec(view);
  const filter = filterFor(spec, options.filters);
  if (options.format === 'xlsx' && options.out === undefined && process.stdout.isTTY) throw usageError('an XLSX workbook is binary: give --out <file> or redirect stdout');
  return { spec, filter };
}

/**
 * `jxc export <view>`: the view's documents, page by page through the read store's keyset cursors
 * (memory bounded by one page whatever the view's size), written as they come. A file is written
 * beside its name and renamed when complete, so a failed export leaves no half file. Personal data
 * are written opened (the operator holds the master key), null for an erased party.
 */
export async function exportView(stores: Stores, io: Output, view: string, options: ExportOptions): Promise<number> {
  const { spec, filter } = planExport(view, options);
  const partial = options.out === undefined ? undefined : join(dirname(options.out), `.${basename(options.out)}.${process.pid}.partial`);
  let sink: Writable;
  let done: Promise<void>;
  if (partial === undefined) {
    // Through a PassThrough: exceljs ends its output, and stdout must never be ended.
    const pass = new PassThrough();
    pass.pipe(process.stdout);
    sink = pass;
    done = finished(pass);
  } else {
    const file = createWriteStream(partial);
    sink = file;
    done = finished(file);
  }
  done.catch(() => undefined);
  const writer = await documentWriter(sink, { format: options.format, columns: spec.columns, sheet: spec.view, bom: options.bom });
  let count = 0;
  try {
    for await (const doc of stores.views.scan<ViewDocument>(spec.view, { filter, sort: spec.sort, pageSize: options.pageSize ?? 500 })) {
      await writer.write(await stores.personalData.reveal(doc));
      count++;
    }
    await writer.finish();
    await done;
    if (partial !== undefined) renameSync(partial, options.out!);
  } catch (error) {
    sink.destroy();
    if (partial !== undefined) rmSync(partial, { force: true });
    throw error;
  }
  io.err(`exported ${count} ${spec.view} document${count === 1 ? '' : 's'} as ${options.format} to ${options.out ?? 'stdout'}`);
  return EXIT.ok;
}
