import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseMasterKey } from '../../src/platform/personal-data/master-key.js';
import { runJxc } from '../support/cli.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';
import { until } from '../support/until.js';

// The rotation procedure on the real service (dist/): new key made by the CLI, the service restarted with the new
// key and the old one as previous, `jxc keys rotate-master-key` while it registers more parties, then the new key alone.
const ADMIN_KEY = 'keys-rotation-spec-admin-key-0123456789';
let scratch: string;
let dataDir: string;
let oldKeyFile: string;
let newKeyFile: string;
let service: ServiceProcess | undefined;

const party = (id: string) => ({ id, name: `Rotating ${id} 旋转`, phone: `+86 137 ${id.padStart(8, '0').slice(-8)}`, email: `${id}@rotation.example`, address: `${id} Key Street` });

async function request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${service!.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function register(id: string): Promise<void> {
  const answer = await request('POST', '/customers', party(id));
  expect([id, answer.status]).toEqual([id, 201]);
}

/** The customer as GET answers it once the views have it. */
async function customer(id: string): Promise<Record<string, unknown>> {
  return until(`customer ${id} to appear`, async () => {
    const answer = await request('GET', `/customers/${id}`);
    return answer.status === 200 ? answer.body : undefined;
  });
}

async function restart(env: Record<string, string>): Promise<void> {
  if (service) await stopService(service, 'SIGTERM');
  service = await startService(dataDir, ADMIN_KEY, env);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jxc-rotation-'));
  dataDir = join(scratch, 'data');
  const secrets = join(scratch, 'secrets');
  mkdirSync(secrets, { mode: 0o700 });
  oldKeyFile = join(secrets, 'old.key');
  newKeyFile = join(secrets, 'new.key');
  expect((await runJxc(dataDir, ['keys', 'new-master-key', '--out', oldKeyFile])).code).toBe(0);
  await restart({ JXC_MASTER_KEY_FILE: oldKeyFile });
  for (const id of ['old-1', 'old-2', 'old-3']) await register(id);
}, 60_000);

afterAll(async () => {
  if (service) await stopService(service, 'SIGTERM');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('rotating the master key while the service runs', () => {
  it('re-wraps the old keys while the service (new key + previous) takes registrations; then the new key alone reads everything', async () => {
    expect((await runJxc(dataDir, ['keys', 'new-master-key', '--out', newKeyFile])).code).toBe(0);
    const oldKey = parseMasterKey(readFileSync(oldKeyFile, 'utf8'), 'old');
    const newKey = parseMasterKey(readFileSync(newKeyFile, 'utf8'), 'new');
    const rotating = { JXC_MASTER_KEY_FILE: newKeyFile, JXC_MASTER_KEY_PREVIOUS_FILE: oldKeyFile };
    await restart(rotating);
    expect(await customer('old-1')).toMatchObject(party('old-1'));

    const more = Array.from({ length: 12 }, (_, index) => `new-${index + 1}`);
    const registering = (async () => {
      for (const id of more) await register(id);
    })();
    const [run] = await Promise.all([runJxc(dataDir, ['keys', 'rotate-master-key'], { env: rotating }), registering]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`re-wrapped 3 data keys from master key id ${oldKey.id} to master key id ${newKey.id};`);
    expect(run.stdout).toMatch(/^every live data key \(\d+\) is wrapped by master key id /m);
    expect(run.code).toBe(0);
    // The running service reads the re-wrapped keys and the new ones alike.
    for (const id of ['old-1', 'old-2', 'old-3', ...more]) expect(await customer(id)).toMatchObject(party(id));

    const status = await runJxc(dataDir, ['keys', 'status'], { env: { JXC_MASTER_KEY_FILE: newKeyFile } });
    expect(status.stdout).toContain(`data keys: 15 live, 0 erased; 15 under master key id ${newKey.id} (JXC_MASTER_KEY)`);

    await restart({ JXC_MASTER_KEY_FILE: newKeyFile });
    for (const id of ['old-1', 'old-2', 'old-3', ...more]) expect(await customer(id)).toMatchObject(party(id));

    // The old key alone no longer starts the service on these data.
    await stopService(service!, 'SIGTERM');
    service = undefined;
    await expect(startService(dataDir, ADMIN_KEY, { JXC_MASTER_KEY_FILE: oldKeyFile })).rejects.toThrow('exited during start-up');
  }, 120_000);
});
