import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';

import { writeSheet } from '../../exports/write-sheet.js';
import { type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { exportSpec, type ExportSpec, sheetOf } from './export-specs.js';
import { writeNdjson } from './writers.js';

async function* each(docs: Record<string, unknown>[]): AsyncIterable<ViewDocument> {
  for (const [index, doc] of docs.entries()) yield { id: `x-${index}`, position: '1', ...doc };
}

function collect(out: PassThrough): () => string {
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function csvOf(spec: ExportSpec, docs: Record<string, unknown>[]): Promise<string[]> {
  const out = new PassThrough();
  const text = collect(out);
  await writeSheet(out, sheetOf(spec), each(docs), { format: 'csv', bom: false });
  return text().split('\r\n').filter(Boolean);
}

const PLAIN: ExportSpec = { view: 'x', description: '', sort: [], columns: [{ field: 'name', header: 'name' }, { field: 'amount', header: 'amount', numeric: true }], filters: {} };

describe('CSV export for spreadsheets', () => {
  it('puts an apostrophe before text a spreadsheet would run as a formula, and leaves numbers and ordinary text alone', async () => {
    expect(
      await csvOf(PLAIN, [
        { name: '=HYPERLINK("http://evil.example","click")', amount: -500 },
        { name: '+86 571 8888', amount: 0 },
        { name: '@SUM(A1)', amount: 12 },
        { name: 'Hangzhou Tea House, West Lake', amount: 1999 },
        { name: '西湖龙井 a=b', amount: 1 },
      ]),
    ).toEqual(['name,amount', `"'=HYPERLINK(""http://evil.example"",""click"")",-500`, `'+86 571 8888,0`, `'@SUM(A1),12`, '"Hangzhou Tea House, West Lake",1999', '西湖龙井 a=b,1']);
  });

  it('writes money in major units of the row currency and times with their offset (cancellation_stats, customers)', async () => {
    const [header, row] = await csvOf(exportSpec('cancellation_stats'), [
      { day: '2026-03-01', kind: 'sale', initiatedBy: 'customer', reason: 'late', currency: 'CNY', scope: 'whole', count: 2, value: 25600, refunded: 12805 },
    ]);
    expect(header).toBe('day,kind,initiatedBy,reason,currency,scope,count,value,refunded,position');
    expect(row).toBe('2026-03-01,sale,customer,late,CNY,whole,2,256.00,128.05,1');
    const [, customer] = await csvOf(exportSpec('customers'), [{ id: 'c-1', name: 'Wang', erased: false, active: true, registeredAt: '2026-03-01T08:00:00.000Z' }]);
    expect(customer).toBe('c-1,Wang,,,,false,true,2026-03-01T08:00:00.000+00:00,1');
  });
});

describe('NDJSON export', () => {
  it('writes each document as disclosed, one per line', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const count = await writeNdjson(out, each([{ name: 'a' }, { name: 'b' }]), async (doc) => ({ ...doc, name: String(doc.name).toUpperCase() }));
    expect(count).toBe(2);
    expect(text().trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { id: 'x-0', position: '1', name: 'A' },
      { id: 'x-1', position: '1', name: 'B' },
    ]);
  });
});
