/**
 * A month of a small tea shop, run against a jxc service over HTTP (docs/journal.md, "Worked example"): an opening
 * receipt, a purchase paid in part before delivery and the rest after, three sales (one paid by Alipay and shipped, one
 * paid by Alipay and cash then cancelled and refunded by both routes with a goodwill store credit, one paid partly with
 * that credit), a stocktake that finds a tin missing. Answers the journal and the trial balance, and renders them as Markdown.
 */

export interface JournalLine {
  readonly entryId: string;
  readonly position: string;
  readonly occurredAt: string | null;
  readonly account: string;
  readonly accountName: string;
  readonly debit: number;
  readonly credit: number;
  readonly currency: string;
  readonly sku: string | null;
  readonly summary: string;
}

export interface TrialBalanceRow {
  readonly account: string;
  readonly name: string;
  readonly nameZh: string;
  readonly debit: number;
  readonly credit: number;
  readonly balance: number;
}

export interface TrialBalance {
  readonly asOf: string;
  readonly accounts: readonly TrialBalanceRow[];
  readonly totals: { readonly debit: number; readonly credit: number };
}

export interface MonthResult {
  readonly journal: readonly JournalLine[];
  readonly trialBalance: TrialBalance;
}

type Who = 'admin' | 'clerk' | 'approver' | 'warehouse' | 'finance';

class Shop {
  private readonly keys = new Map<Who, string>();
  private position = '0';

  constructor(private readonly api: string, adminKey: string) {
    this.keys.set('admin', adminKey);
  }

  async call(who: Who, method: 'GET' | 'POST', path: string, body?: object, expected = [200, 201]): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.api}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.keys.get(who)}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    const answer = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    if (typeof answer.position === 'string' && Number(answer.position) > Number(this.position)) this.position = answer.position;
    return answer;
  }

  async keysFor(run: string): Promise<void> {
    for (const role of ['clerk', 'approver', 'warehouse', 'finance'] as const) {
      const issued = await this.call('admin', 'POST', '/keys', { userId: `${role}-${run}`, roles: [role] });
      this.keys.set(role, issued.key as string);
    }
  }

  fresh(path: string): string {
    return `${path}${path.includes('?') ? '&' : '?'}minPosition=${this.position}`;
  }
}

/** Runs the month; `run` makes ids unique so that the example can run twice against one service. */
export async function runMonth(api: string, adminKey: string, run: string): Promise<MonthResult> {
  const shop = new Shop(api, adminKey);
  await shop.keysFor(run);
  const id = (name: string) => `${name}-${run}`;
  const tea = id('LJ250');
  const cup = id('CUP');
  await shop.call('admin', 'POST', '/suppliers', { id: id('westlake'), name: 'West Lake Tea Farm' });
  await shop.call('admin', 'POST', '/customers', { id: id('wang'), name: 'Wang Fang' });
  await shop.call('admin', 'POST', '/customers', { id: id('li'), name: 'Li Lei' });
  await shop.call('admin', 'POST', '/products', { sku: tea, name: 'Longjing tea 250 g', price: 12800 });
  await shop.call('admin', 'POST', '/products', { sku: cup, name: 'Celadon cup', price: 3500 });
  // Day 1: twenty cups already on the shelf, at 15.00 each; forty tins of tea bought at 60.00, 600.00 paid before delivery.
  await shop.call('warehouse', 'POST', '/stock/receipts', { sku: cup, quantity: 20, unitCost: 1500, note: 'opening stock' });
  const po = id('PO');
  await shop.call('clerk', 'POST', '/orders', { orderId: po, kind: 'purchase', partyId: id('westlake'), lines: [{ sku: tea, quantity: 40, unitPrice: 6000 }] });
  await shop.call('finance', 'POST', `/orders/${po}/payments`, { amount: 60000, method: 'bank_transfer' });
  await shop.call('warehouse', 'POST', `/orders/${po}/receive`, { lines: [{ sku: tea, quantity: 40 }] });
  // Day 5: Wang buys five tins and two cups, pays by Alipay; shipped and delivered.
  const first = id('SO1');
  await shop.call('clerk', 'POST', '/orders', { orderId: first, kind: 'sale', partyId: id('wang'), lines: [{ sku: tea, quantity: 5, unitPrice: 12800 }, { sku: cup, quantity: 2, unitPrice: 3500 }] });
  await shop.call('clerk', 'POST', `/orders/${first}/payments`, { amount: 71000, method: 'alipay' });
  await shop.call('warehouse', 'POST', `/orders/${first}/ship`, {});
  await shop.call('warehouse', 'POST', `/orders/${first}/deliver`, {});
  // Day 12: Li orders three tins, pays 200.00 by Alipay and 184.00 in cash; the shop cannot deliver in time and cancels:
  // refunded by the routes the money came by, with a 20.00 store credit for the trouble.
  const second = id('SO2');
  await shop.call('clerk', 'POST', '/orders', { orderId: second, kind: 'sale', partyId: id('li'), lines: [{ sku: tea, quantity: 3, unitPrice: 12800 }] });
  await shop.call('clerk', 'POST', `/orders/${second}/payments`, { amount: 20000, method: 'alipay' });
  await shop.call('clerk', 'POST', `/orders/${second}/payments`, { amount: 18400, method: 'cash' });
  await shop.call('clerk', 'POST', `/orders/${second}/cancellation`, { reason: 'late delivery', initiatedBy: 'company' });
  await shop.call('approver', 'POST', `/orders/${second}/cancellation/approve`, { refundMethod: 'original', goodwillCoupon: { amount: 2000 } });
  // Day 20: Li buys a cup, 20.00 of it with the store credit and 15.00 in cash; shipped.
  const third = id('SO3');
  await shop.call('clerk', 'POST', '/orders', { orderId: third, kind: 'sale', partyId: id('li'), lines: [{ sku: cup, quantity: 1, unitPrice: 3500 }] });
  await shop.call('clerk', 'POST', `/orders/${third}/payments`, { amount: 2000, method: 'store_credit' });
  await shop.call('clerk', 'POST', `/orders/${third}/payments`, { amount: 1500, method: 'cash' });
  await shop.call('warehouse', 'POST', `/orders/${third}/ship`, {});
  // Day 28: the rest of the tea is paid to the farm; day 30: the stocktake finds 34 tins where 35 should be.
  await shop.call('finance', 'POST', `/orders/${po}/payments`, { amount: 180000, method: 'bank_transfer' });
  await shop.call('warehouse', 'POST', '/stock/counts', { sku: tea, countedQuantity: 34, reason: 'month-end stocktake' });
  const journal: JournalLine[] = [];
  let cursor: string | null = null;
  do {
    const page = await shop.call('finance', 'GET', shop.fresh(`/journal?limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`));
    journal.push(...(page.items as JournalLine[]));
    cursor = page.nextCursor as string | null;
  } while (cursor !== null);
  const trialBalance = (await shop.call('finance', 'GET', shop.fresh('/journal/trial-balance'))) as unknown as TrialBalance;
  return { journal, trialBalance };
}

/** Minor units as major units with two decimals, by integer arithmetic. */
function yuan(minor: number): string {
  if (minor === 0) return '';
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** The journal (one voucher per event, numbered) and the trial balance as Markdown tables. */
export function markdown({ journal, trialBalance }: MonthResult): string {
  const out: string[] = ['### Journal', '', '| 凭证号 no. | 摘要 summary | 科目 account | 借方 debit | 贷方 credit |', '|---:|---|---|---:|---:|'];
  let number = 0;
  let previous: string | null = null;
  for (const line of journal) {
    if (line.position !== previous) number += 1;
    out.push(`| ${line.position === previous ? '' : `记-${number}`} | ${line.position === previous ? '' : line.summary} | ${line.account} ${line.accountName}${line.sku === null ? '' : ` · ${line.sku}`} | ${yuan(line.debit)} | ${yuan(line.credit)} |`);
    previous = line.position;
  }
  out.push('', '### Trial balance', '', '| 科目代码 code | 科目名称 | account | 借方 debit | 贷方 credit | 余额 balance (debit − credit) |', '|---|---|---|---:|---:|---:|');
  for (const row of trialBalance.accounts) out.push(`| ${row.account} | ${row.nameZh} | ${row.name} | ${yuan(row.debit)} | ${yuan(row.credit)} | ${yuan(row.balance) || '0.00'} |`);
  out.push(`| | | **total** | **${yuan(trialBalance.totals.debit)}** | **${yuan(trialBalance.totals.credit)}** | |`, '');
  return out.join('\n');
}
