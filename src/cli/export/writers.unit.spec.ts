import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';

import { documentWriter, inertText } from './writers.js';

async function csvOf(docs: Record<string, unknown>[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = await documentWriter(out, { format: 'csv', sheet: 'x', columns: [{ field: 'name', header: 'name' }, { field: 'amount', header: 'amount' }] });
  for (const doc of docs) await writer.write({ id: 'x', position: '1', ...doc });
  await writer.finish();
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV export for spreadsheets', () => {
  it('puts an apostrophe before text a spreadsheet would run as a formula, and leaves numbers alone', async () => {
    const csv = await csvOf([
      { name: '=HYPERLINK("http://evil.example","click")', amount: -500 },
      { name: '+86 571 8888', amount: 0 },
      { name: '@SUM(A1)', amount: 12 },
      { name: 'Hangzhou Tea House, West Lake', amount: 1999 },
    ]);
    expect(csv.split('\n').filter(Boolean)).toEqual([
      'name,amount',
      `"'=HYPERLINK(""http://evil.example"",""click"")",-500`,
      `'+86 571 8888,0`,
      `'@SUM(A1),12`,
      '"Hangzhou Tea House, West Lake",1999',
    ]);
  });

  it('leaves ordinary text as it is', () => {
    expect(inertText('西湖龙井')).toBe('西湖龙井');
    expect(inertText('a=b')).toBe('a=b');
    expect(inertText('-')).toBe("'-");
  });
});
