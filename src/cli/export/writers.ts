import { once } from 'node:events';
import { type Writable } from 'node:stream';

import { type ViewDocument } from '../../platform/read-store/read-store.port.js';

export const FORMATS = ['csv', 'xlsx', 'ndjson'] as const;
export type ExportFormat = (typeof FORMATS)[number];

const CHUNK = 64 * 1024;

/**
 * NDJSON: one view document per line, as stored (CSV and XLSX go through src/exports/sheet.ts). Lines are
 * gathered into chunks; a full stream is waited for ('drain'), a failed one rejects. Ends the stream; answers the count.
 */
export async function writeNdjson(out: Writable, docs: AsyncIterable<ViewDocument>, reveal: (doc: ViewDocument) => Promise<ViewDocument>): Promise<number> {
  let buffered = '';
  let count = 0;
  const flush = async () => {
    const chunk = buffered;
    buffered = '';
    if (chunk !== '' && !out.write(chunk)) await once(out, 'drain');
  };
  for await (const doc of docs) {
    buffered += `${JSON.stringify(await reveal(doc))}\n`;
    count++;
    if (buffered.length >= CHUNK) await flush();
  }
  await flush();
  out.end();
  return count;
}
