import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runJxc } from '../support/cli.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';

// `jxc import <kind> <file>` against the built service (a child process on its own data directory).
const ADMIN = 'cli-import-admin-key-0123';
let dataDir: string;
let files: string;
let service: ServiceProcess;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-cli-import-'));
  files = mkdtempSync(join(tmpdir(), 'jxc-cli-import-files-'));
  service = await startService(dataDir, ADMIN);
  const key = await fetch(`${service.url}/keys`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'erp-sync', roles: ['integration'] }) });
  env = { JXC_URL: service.url, JXC_API_KEY: ((await key.json()) as { key: string }).key };
});
afterAll(async () => {
  await stopService(service, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(files, name);
  writeFileSync(path, text);
  return path;
}

describe('jxc import', () => {
  it('imports a CSV file into the running service, then the same file again changes nothing', async () => {
    const products = file('products.csv', 'sku,name,price\nCLI-1,Longjing,12800\nCLI-2,Biluochun,9900\n');
    const first = await runJxc(dataDir, ['import', 'products', products], { env });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe('2 rows: 2 applied, 0 unchanged, 0 problems\n');
    const again = await runJxc(dataDir, ['import', 'products', products, '--json'], { env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ rows: 2, applied: 0, unchanged: 2, errors: [], errorsNotListed: 0, position: expect.any(String) });
    const product = await fetch(`${service.url}/products/CLI-1`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(product.status).toBe(200);
  });

  it('lists the rows refused (exit 1) and applies the rest; --dry-run applies nothing', async () => {
    const stock = file('stock.csv', 'sku,quantity\nCLI-1,30\nCLI-404,5\nCLI-2,zero\n');
    const dry = await runJxc(dataDir, ['import', 'opening-stock', stock, '--dry-run'], { env });
    expect(dry.code).toBe(1);
    expect(dry.stdout.split('\n')).toEqual(['3 rows: 1 applied, 0 unchanged, 2 problems', 'row 3, sku: no product CLI-404', 'row 4, quantity: must be an integer', '']);
    const real = await runJxc(dataDir, ['import', 'opening-stock', stock], { env });
    expect(real.code).toBe(1);
    // Applied now, not by the dry run (else it would be unchanged).
    expect(real.stdout.split('\n')[0]).toBe('3 rows: 1 applied, 0 unchanged, 2 problems');
  });

  it('says what is wrong in one line, never silently: a missing file, another extension, no key (exit 2), a refused header (2), no service (3)', async () => {
    const missing = await runJxc(dataDir, ['import', 'products', join(files, 'nope.csv')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^jxc: cannot read .*nope\.csv: .*ENOENT.*\n$/);
    expect((await runJxc(dataDir, ['import', 'products', file('p.txt', 'x')], { env })).stderr).toMatch(/a \.csv or \.xlsx file is expected/);
    expect((await runJxc(dataDir, ['import', 'products', file('p.csv', 'sku\n')], { env: { JXC_URL: service.url, JXC_API_KEY: '' } })).stderr).toMatch(/no API key/);
    const header = await runJxc(dataDir, ['import', 'products', file('bad.csv', 'sku,colour\nX,red\n')], { env });
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/^jxc: the service answered 400: .*header\.colour.*\n$/);
    const down = await runJxc(dataDir, ['import', 'products', file('ok.csv', 'sku,name,price\nX,x,1\n')], { env: { ...env, JXC_URL: 'http://127.0.0.1:9/api' } });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^jxc: cannot reach the service at http:\/\/127\.0\.0\.1:9\/api/);
  });
});
