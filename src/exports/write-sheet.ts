import { type Writable } from 'node:stream';

import { type SheetSpec } from './rows.js';
import { type SheetFormat, sheetWriter } from './sheet.js';

export interface WriteSheetOptions<D> {
  readonly format: SheetFormat;
  /** CSV: a UTF-8 byte order mark first. */
  readonly bom: boolean;
  /** The IANA time zone times are written in (UTC when absent). */
  readonly zone?: string;
  /** Each batch of documents before its rows are built (personal data opened or masked for the reader). */
  readonly disclose?: (docs: D[]) => Promise<D[]>;
  /** Called once the first batch is read, before the first byte is written (an HTTP answer sets its headers here). */
  readonly onStart?: () => void;
  /** Documents per batch. */
  readonly batch?: number;
}

/**
 * Streams a view's documents into `out` as spreadsheet rows, a batch at a time: memory holds one batch and what
 * the output has not taken yet (every write waits while the output is full). Answers the number of rows written.
 * A read that fails before the first batch writes nothing.
 */
export async function writeSheet<D>(out: Writable, spec: SheetSpec<D>, docs: AsyncIterable<D>, options: WriteSheetOptions<D>): Promise<number> {
  const size = options.batch ?? 200;
  const iterator = docs[Symbol.asyncIterator]();
  const nextBatch = async (): Promise<D[]> => {
    const batch: D[] = [];
    while (batch.length < size) {
      const next = await iterator.next();
      if (next.done === true) break;
      batch.push(next.value);
    }
    return options.disclose === undefined || batch.length === 0 ? batch : options.disclose(batch);
  };
  let batch = await nextBatch();
  options.onStart?.();
  const writer = await sheetWriter(out, options.format, spec, { bom: options.bom, zone: options.zone });
  let rows = 0;
  try {
    while (batch.length > 0) {
      for (const doc of batch) {
        for (const row of spec.rows(doc)) {
          await writer.row(row);
          rows++;
        }
      }
      batch = batch.length < size ? [] : await nextBatch();
    }
    await writer.finish();
  } finally {
    await iterator.return?.();
  }
  return rows;
}
