// node dist/scripts/shop-adapter/main.js <orders.json> [--url <jxc api>] [--key <api key>] [--channel <name>]
//
// An example shop adapter: replays a JSON file of shop orders against a running jxc as a shop platform's
// connector would, safely repeatable. Each order is sent as POST /api/orders with its `channel` and
// `externalId`: jxc places one order per (channel, externalId), so running the file again, or again after
// a crash half-way, places nothing twice (a repeat answers the first order, 200). Failures jxc asks to retry
// (503 with Retry-After, 429, a lost connection) are retried with the same request; anything else is reported.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** One order as a shop exports it (the example file's shape; a real adapter maps its platform's export here). */
interface ShopOrder {
  readonly channel?: string;
  readonly externalId: string;
  readonly customerId: string;
  readonly warehouseId?: string;
  readonly currency?: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice?: number }[];
}

type Outcome = 'placed' | 'repeat' | 'refused';

const RETRIES = 8;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, key: { type: 'string' }, channel: { type: 'string' } },
  });
  const [file] = positionals;
  const url = (values.url ?? process.env.JXC_URL ?? 'http://127.0.0.1:3000/api').replace(/\/+$/, '');
  const key = values.key ?? process.env.JXC_API_KEY;
  if (file === undefined || !key) {
    console.error('usage: shop-adapter <orders.json> [--url <jxc api>] [--key <api key>] [--channel <name>] (or JXC_URL, JXC_API_KEY)');
    return 2;
  }
  const orders = readOrders(file);
  const counts: Record<Outcome, number> = { placed: 0, repeat: 0, refused: 0 };
  for (const order of orders) counts[await send(url, key, { ...order, channel: order.channel ?? values.channel ?? 'shop' })]++;
  console.log(`${orders.length} shop orders: ${counts.placed} placed, ${counts.repeat} placed before, ${counts.refused} refused`);
  return counts.refused > 0 ? 1 : 0;
}

function readOrders(file: string): ShopOrder[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const orders = Array.isArray(parsed) ? parsed : (parsed as { orders?: unknown }).orders;
  if (!Array.isArray(orders)) throw new Error(`${file}: expected an array of orders or {"orders": [...]}`);
  return orders as ShopOrder[];
}

/** Sends one order until jxc answers something final; prints one line. */
async function send(url: string, key: string, order: ShopOrder & { channel: string }): Promise<Outcome> {
  const body = JSON.stringify({
    kind: 'sale',
    partyId: order.customerId,
    channel: order.channel,
    externalId: order.externalId,
    ...(order.warehouseId ? { warehouseId: order.warehouseId } : {}),
    ...(order.currency ? { currency: order.currency } : {}),
    lines: order.lines,
  });
  const label = `${order.channel} ${order.externalId}`;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${url}/orders`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body });
    } catch (error) {
      if (attempt > RETRIES) throw error;
      await pause(attempt, undefined);
      continue;
    }
    const answer = (await response.json().catch(() => ({}))) as { number?: string; status?: string; error?: { code: string; message: string } };
    if ((response.status === 503 || response.status === 429) && attempt <= RETRIES) {
      await pause(attempt, response.headers.get('retry-after'));
      continue;
    }
    if (response.status === 201 || response.status === 200) {
      console.log(`${label} -> ${answer.number} (${response.status === 201 ? 'placed' : 'placed before'}, ${answer.status})`);
      return response.status === 201 ? 'placed' : 'repeat';
    }
    console.log(`${label} refused: ${response.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`.trimEnd());
    return 'refused';
  }
}

/** Retry-After when jxc sends one, else 0.5 s doubling up to 8 s. */
function pause(attempt: number, retryAfter: string | null | undefined): Promise<void> {
  const seconds = retryAfter && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) : Math.min(8, 0.5 * 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`shop-adapter: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  },
);
