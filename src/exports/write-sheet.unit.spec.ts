import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';

import { type AuditEntry, type StockLevelView } from '../../projections/index.js';
import { majorUnits } from './money.js';
import { AUDIT_TRAIL, STOCK_LEVELS } from './rows.js';
import { SheetAborted, type SheetFormat } from './sheet.js';
import { writeSheet } from './write-sheet.js';

/** A reader that takes nothing until `open()`: what a slow or stalled HTTP client looks like to the export. */
class HeldReader extends Writable {
  bytes = 0;
  private held: (() => void)[] = [];
  private flowing = false;

  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.flowing) done();
    else this.held.push(() => done());
  }

  open(): void {
    this.flowing = true;
    for (const done of this.held.splice(0)) done();
  }
}

function levels(count: number, pulled: { count: number }): AsyncIterable<StockLevelView> {
  return (async function* () {
    for (let i = 0; i < count; i++) {
      pulled.count++;
      yield { id: `main:SKU-${i}`, sku: `SKU-${i}`, warehouseId: 'main', onHand: i, reserved: 0, available: i, incoming: 0, min: null, max: null, alert: null, revision: 1, position: String(i) } as unknown as StockLevelView;
    }
  })();
}

describe('writeSheet', () => {
  for (const format of ['csv', 'xlsx'] as SheetFormat[]) {
    it(`${format}: stops reading the view while the reader takes nothing, and finishes every row once it reads`, async () => {
      const total = format === 'csv' ? 50_000 : 20_000;
      const pulled = { count: 0 };
      const reader = new HeldReader();
      const writing = writeSheet(reader, STOCK_LEVELS, levels(total, pulled), { format, bom: true });
      for (let i = 0; i < 200; i++) await tick();
      const whileHeld = pulled.count;
      // Held: a few batches at most, not the view.
      expect(whileHeld).toBeLessThan(total / 5);
      for (let i = 0; i < 200; i++) await tick();
      expect(pulled.count).toBe(whileHeld);
      reader.open();
      expect(await writing).toBe(total);
      expect(pulled.count).toBe(total);
    }, 60_000);
  }

  it('rejects with SheetAborted and reads no further once the reader goes away', async () => {
    const pulled = { count: 0 };
    const reader = new HeldReader();
    const writing = writeSheet(reader, STOCK_LEVELS, levels(50_000, pulled), { format: 'csv', bom: true });
    for (let i = 0; i < 50; i++) await tick();
    reader.destroy();
    await expect(writing).rejects.toBeInstanceOf(SheetAborted);
    expect(pulled.count).toBeLessThan(50_000);
  });
});

describe('majorUnits', () => {
  it('places the decimal point by the currency, exactly', () => {
    expect(majorUnits(12800, 'CNY')).toBe('128.00');
    expect(majorUnits(5, 'CNY')).toBe('0.05');
    expect(majorUnits(-1250, 'USD')).toBe('-12.50');
    expect(majorUnits(1500, 'JPY')).toBe('1500');
    expect(majorUnits(1234, 'KWD')).toBe('1.234');
    expect(majorUnits(9007199254740991, 'CNY')).toBe('90071992547409.91');
  });
});

describe('times in the export time zone', () => {
  async function csvTimes(zone: string | undefined, times: string[]): Promise<string[]> {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const docs = (async function* () {
      for (const [index, time] of times.entries()) yield { occurredAt: time, position: String(index), streamId: 's', revision: index, type: 'T', actor: null, orderId: null, summary: '', correlationId: null, causationId: null, commandId: null, data: {} } as unknown as AuditEntry;
    })();
    await writeSheet(out, AUDIT_TRAIL, docs, { format: 'csv', bom: false, zone });
    return Buffer.concat(chunks).toString('utf8').split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);
  }

  it('writes the wall clock with the offset in force at that instant (daylight saving included); UTC by default', async () => {
    expect(await csvTimes('Asia/Shanghai', ['2026-03-01T20:30:00.000Z'])).toEqual(['2026-03-02T04:30:00.000+08:00']);
    expect(await csvTimes('America/New_York', ['2026-07-01T12:00:00.000Z', '2026-01-01T12:00:00.000Z'])).toEqual(['2026-07-01T08:00:00.000-04:00', '2026-01-01T07:00:00.000-05:00']);
    expect(await csvTimes('Asia/Kolkata', ['2026-01-01T00:00:00.250Z'])).toEqual(['2026-01-01T05:30:00.250+05:30']);
    expect(await csvTimes(undefined, ['2026-01-01T00:00:00.000Z'])).toEqual(['2026-01-01T00:00:00.000+00:00']);
  });
});
