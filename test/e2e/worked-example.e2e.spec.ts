import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { type ServiceProcess, startService, stopService } from '../support/service-process.js';

// The worked example of docs/journal.md: scripts/worked-example (built into dist/) runs a month of a small shop against
// the service started as `npm start` runs it, and prints the journal and the trial balance; this checks what it printed
// and what the service says.
const KEY = 'worked-example-admin-key-0123';
let dataDir: string;
let service: ServiceProcess;
let printed: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-worked-'));
  service = await startService(dataDir, KEY);
  const run = await promisify(execFile)(process.execPath, ['dist/scripts/worked-example/main.js', service.url], { env: { ...process.env, JXC_ADMIN_KEY: KEY, JXC_EXAMPLE_RUN: 'm1' } });
  printed = run.stdout;
}, 60_000);

afterAll(async () => {
  await stopService(service, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Row { account: string; balance: number }
interface Line { account: string; eventType: string; credit: number }
interface Answer { totals: { debit: number; credit: number }; accounts: Row[]; items: (Line & { value: number })[] }
const api = async (path: string) => (await (await fetch(`${service.url}${path}`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as Answer;

describe('worked example (scripts/worked-example)', () => {
  it('prints a journal of vouchers and a trial balance whose totals are equal', () => {
    expect(printed).toContain('### Journal');
    expect(printed).toContain('| 记-1 |');
    const total = printed.split('\n').find((line) => line.includes('**total**'))!;
    const [debit, credit] = [...total.matchAll(/\*\*([\d,]+\.\d{2})\*\*/g)].map((match) => match[1]);
    expect(debit).toBe(credit);
    expect(printed).toMatch(/\| 1405 \| 库存商品 \| Inventory \| [\d,.]+ \| [\d,.]+ \| 2,295\.00 \|/);
  });

  it('books the month as docs/journal.md shows: refunds by both routes, the credit granted and spent, the stocktake loss', async () => {
    const tb = await api('/journal/trial-balance');
    expect(tb.totals.debit).toBe(tb.totals.credit);
    const balance = Object.fromEntries(tb.accounts.map((row) => [row.account, row.balance]));
    expect(balance).toEqual({
      '1001': 1500, // 184.00 in cash, refunded in cash; 15.00 in cash for the cup
      '1002': -240000, // the farm paid 600.00 before delivery and 1,800.00 after
      '1012': 71000, // Alipay: Wang's 710.00; Li's 200.00 came in and went back
      '1123': 0,
      '1402': 0,
      '1405': 229500, // 300.00 of cups + 2,400.00 of tea − 345.00 sold − 60.00 lost
      '2202': 0,
      '2203': 0,
      '2241': 0, // 20.00 of goodwill credit granted and spent
      '4001': -30000,
      '6001': -74500,
      '6401': 34500,
      '6601': 2000,
      '6711': 6000,
    });
    const refunds = (await api('/journal?limit=500')).items.filter((line) => line.eventType === 'RefundIssued' && line.credit > 0);
    expect(refunds.map((line) => [line.account, line.credit]).sort()).toEqual([['1001', 18400], ['1012', 20000]]);
    const stock = (await api('/stock?limit=500')).items;
    expect(stock.reduce((sum, level) => sum + level.value, 0)).toBe(balance['1405']);
  });
});
