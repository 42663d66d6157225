import { createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/platform/config/config.js';
import { runInChild } from '../harness/child-process.js';
import { type Measure, type Workload } from '../harness/workload.js';

// JXC_BENCH_IMPORT_ROWS: the file's rows (the figure is 100,000).
const FULL_ROWS = Number(process.env.JXC_BENCH_IMPORT_ROWS ?? 100_000);
const QUICK_ROWS = 2_000;
const ADMIN_KEY = 'bench-import-admin-key-0123';

interface ImportRunArgs {
  readonly csv: string;
  readonly rows: number;
  readonly scratchDir: string;
}

interface ImportRunResult {
  readonly seconds: number;
  readonly applied: number;
}

/** A products CSV of `rows` rows (sku, name, spec, unit, price), written once under `.bench/`. */
function ensureCsv(scratchDir: string, rows: number): string {
  const file = join(scratchDir, `import-products-${rows}.csv`);
  if (existsSync(file)) return file;
  const lines = ['sku,name,spec,unit,price'];
  for (let i = 1; i <= rows; i++) lines.push(`BENCH-${String(i).padStart(7, '0')},"Tea ${i}, loose leaf",${i % 3 === 0 ? '"tin, 250 g"' : ''},pcs,${100 + (i % 9000)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * In a child process (runInChild calls it by name, so its peak RSS is the service's): the application on a new
 * data directory (durability full), listening on loopback, and the CSV streamed to its POST /api/import/products.
 * @public
 */
export async function importInChild({ csv, rows, scratchDir }: ImportRunArgs): Promise<ImportRunResult> {
  const dataDir = mkdtempSync(join(scratchDir, 'import-data-'));
  const app = await createApp({ ...loadConfig({}), port: 0, dataDir, durability: 'full', bootstrapAdminKey: ADMIN_KEY }, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/import/products`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'text/csv', 'Content-Length': String(statSync(csv).size) },
      body: Readable.toWeb(createReadStream(csv)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
    const answer = (await response.json()) as { rows: number; applied: number; errors: unknown[] };
    const seconds = (performance.now() - started) / 1000;
    if (!response.ok || answer.rows !== rows || answer.applied !== rows) throw new Error(`import answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    return { seconds, applied: answer.applied };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `POST /api/import/products` of a large CSV into an empty service: every row registered through the command path. */
export const importWorkload: Workload = {
  name: 'import',
  title: 'Bulk import of a large CSV (POST /api/import/products)',
  limits:
    'Each row is a registration through the CommandBus (load, decide, append with fsync in group commits, the product process), 64 rows at a time; bound by the appends and the single event loop. Memory holds one batch and the file\'s skus (for repeated-row detection), never the file.',
  async prepare(options) {
    const rows = options.quick ? QUICK_ROWS : FULL_ROWS;
    const csv = ensureCsv(options.scratchDir, rows);
    const bytes = statSync(csv).size;
    const here = new URL(import.meta.url);
    const subject: Measure = {
      key: `import-${rows}`,
      label: `import of ${rows.toLocaleString('en-US')} products (${(bytes / 1024 / 1024).toFixed(1)} MiB CSV), a fresh service per run`,
      async run() {
        const { result, peakRssMb } = await runInChild<ImportRunResult>(here, 'importInChild', { csv, rows, scratchDir: options.scratchDir } satisfies ImportRunArgs);
        return { seconds: result.seconds, rowsPerSecond: result.applied / result.seconds, peakRssMb };
      },
    };
    const title = `import of a ${rows.toLocaleString('en-US')}-row products CSV`;
    return {
      cases: [
        { name: 'import-seconds', title: `${title}, wall time`, unit: 's', durability: 'full', higherIsBetter: false, subject, metric: 'seconds' },
        { name: 'import-rows-per-second', title, unit: 'rows/s', durability: 'full', higherIsBetter: true, subject, metric: 'rowsPerSecond' },
        { name: 'import-rss', title: `${title}, peak RSS of the service process`, unit: 'MB', durability: 'full', higherIsBetter: false, subject, metric: 'peakRssMb' },
      ],
      notes: () => [`file: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MiB; JXC_BENCH_IMPORT_ROWS to change it`],
      close: async () => undefined,
    };
  },
};
