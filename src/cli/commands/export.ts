import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

import { type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { exportTimeZone } from '../../exports/sheet.js';
import { writeSheet } from '../../exports/write-sheet.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { exportSpec, type ExportSpec, filterFor, type FilterInput, sheetOf } from '../export/export-specs.js';
import { type ExportFormat, FORMATS, writeNdjson } from '../export/writers.js';
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

/** Checks the view, format, filters and output folder before any store is opened: bad input costs nothing. */
export function planExport(view: string, options: Pick<ExportOptions, 'format' | 'out' | 'filters'>): { spec: ExportSpec; filter: ReturnType<typeof filterFor>; zone: string } {
  if (!(FORMATS as readonly string[]).includes(options.format)) throw usageError(`unknown format ${JSON.stringify(options.format)}; formats: ${FORMATS.join(', ')}`);
  const spec = exportSpec(view);
  const filter = filterFor(spec, options.filters);
  if (options.format === 'xlsx' && options.out === undefined && process.stdout.isTTY) throw usageError('an XLSX workbook is binary: give --out <file> or redirect stdout');
  if (options.out !== undefined) checkOut(options.out);
  return { spec, filter, zone: timeZone() };
}

/** Times are written in the business time zone (`JXC_BUSINESS_TZ`), as the service's exports do. */
function timeZone(): string {
  try {
    return exportTimeZone(process.env);
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** `--out` must name a file in a folder that exists (nothing is created on the way). */
function checkOut(out: string): void {
  const folder = dirname(resolve(out));
  const found = statSync(folder, { throwIfNoEntry: false });
  if (found === undefined) throw usageError(`--out ${out}: the folder ${folder} does not exist`);
  if (!found.isDirectory()) throw usageError(`--out ${out}: ${folder} is not a folder`);
  if (statSync(resolve(out), { throwIfNoEntry: false })?.isDirectory() === true) throw usageError(`--out ${out} is a folder; give a file name`);
}

interface Sink {
  readonly stream: Writable;
  readonly done: Promise<void>;
  /** The first error of the output stream, if any. */
  failure(): Error | undefined;
}

function openSink(partial: string | undefined): Sink {
  let failure: Error | undefined;
  // Through a PassThrough for stdout: exceljs ends its output, and stdout must never be ended.
  const stream = partial === undefined ? new PassThrough() : createWriteStream(partial);
  if (partial === undefined) stream.pipe(process.stdout);
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  const done = finished(stream);
  done.catch(() => undefined);
  return { stream, done, failure: () => failure };
}

/**
 * `jxc export <view>`: the view's documents, page by page through the read store's keyset cursors
 * (memory bounded by one page whatever the view's size), written as they come. A file is written
 * beside its name and renamed when complete, so a failed export leaves no half file; a file that cannot be
 * written stops the export with one line naming it. Personal data are written opened (the operator holds the
 * master key), null for an erased party.
 */
export async function exportView(stores: Stores, io: Output, view: string, options: ExportOptions): Promise<number> {
  const { spec, filter, zone } = planExport(view, options);
  const partial = options.out === undefined ? undefined : join(dirname(options.out), `.${basename(options.out)}.${process.pid}.partial`);
  const sink = openSink(partial);
  const docs = stores.views.scan<ViewDocument>(spec.view, { filter, sort: spec.sort, pageSize: options.pageSize ?? 500 });
  let count: number;
  try {
    count =
      options.format === 'ndjson'
        ? await writeNdjson(sink.stream, docs, (doc) => stores.personalData.reveal(doc))
        : await writeSheet(sink.stream, sheetOf(spec), docs, { format: options.format, bom: options.bom === true, zone, disclose: (batch) => stores.personalData.reveal(batch) });
    await sink.done;
    if (partial !== undefined) renameSync(partial, options.out!);
  } catch (error) {
    sink.stream.destroy();
    if (partial !== undefined) rmSync(partial, { force: true });
    // A refusal (no master key for sealed data...) keeps its own line and exit code.
    if (sink.failure() === undefined && error instanceof CliError) throw error;
    const cause = sink.failure() ?? error;
    throw new CliError(`export to ${options.out ?? 'stdout'} failed: ${(cause as Error).message}`, EXIT.error);
  }
  const unit = options.format === 'ndjson' ? 'document' : 'row';
  io.err(`exported ${count} ${spec.view} ${unit}${count === 1 ? '' : 's'} as ${options.format} to ${options.out ?? 'stdout'}`);
  return EXIT.ok;
}
