import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig } from '../config/config.js';
import { newMasterKeyText, parseMasterKey } from './master-key.js';
import { openPersonalData, type PersonalData } from './open-personal-data.js';

// The master key as the service and the CLI resolve it from the environment, over a real keys.sqlite.
let dataDir: string;
let secrets: string;
const opened: PersonalData[] = [];

async function open(env: Record<string, string> = {}): Promise<PersonalData> {
  const personal = await openPersonalData(loadConfig({ JXC_DATA_DIR: dataDir, ...env }));
  opened.push(personal);
  return personal;
}

async function refusal(env: Record<string, string>): Promise<string> {
  try {
    await open(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected the start to be refused');
}

/** Seals one party's data, so that the key store holds a data key wrapped by the master key in use. */
async function sealSomething(personal: PersonalData): Promise<void> {
  await personal.vault.forStream('customer-c1', [{ type: 'CustomerRegistered', data: { id: 'c1', name: 'Alice', phone: null, email: null, address: null } }]);
  expect(await personal.keyStore.count()).toBe(1);
}

beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'jxc-master-')), 'data');
  secrets = mkdtempSync(join(tmpdir(), 'jxc-secrets-'));
});

afterEach(async () => {
  for (const personal of opened.splice(0)) await personal.keyStore.close();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
  rmSync(secrets, { recursive: true, force: true });
});

describe('the master key at start', () => {
  it('on a first start without configuration, writes a new key to <dataDir>/master.key (0600) and says so; later starts use it and warn that it sits with the data', async () => {
    const first = await open();
    const file = join(dataDir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.warnings.join('\n')).toContain(file);
    expect(first.warnings.join('\n')).toMatch(/JXC_MASTER_KEY/);
    await sealSomething(first);
    await first.keyStore.close();

    const second = await open();
    expect(second.masters.current.id).toBe(first.masters.current.id);
    expect(second.warnings.join('\n')).toMatch(/data directory/);
    expect(parseMasterKey(readFileSync(file, 'utf8'), 'master.key').id).toBe(second.masters.current.id);
  });

  it('a key given by JXC_MASTER_KEY or by a file outside the data directory: no file written, no warning', async () => {
    const text = newMasterKeyText();
    const fromEnv = await open({ JXC_MASTER_KEY: text });
    expect(fromEnv.warnings).toEqual([]);
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
    await fromEnv.keyStore.close();
    writeFileSync(join(secrets, 'jxc.key'), `${text}\n`, { mode: 0o600 });
    const fromFile = await open({ JXC_MASTER_KEY_FILE: join(secrets, 'jxc.key') });
    expect(fromFile.warnings).toEqual([]);
    expect(fromFile.masters.current.id).toBe(parseMasterKey(text, 'x').id);
  });

  it('with personal data sealed and no key configured: refused with one line naming JXC_MASTER_KEY, and no new key made', async () => {
    const text = newMasterKeyText();
    const personal = await open({ JXC_MASTER_KEY: text });
    await sealSomething(personal);
    await personal.keyStore.close();
    expect(await refusal({})).toMatch(/JXC_MASTER_KEY/);
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
  });

  it('with another key: refused, naming both key ids; with it as JXC_MASTER_KEY_PREVIOUS (a rotation): opened', async () => {
    const old = newMasterKeyText();
    const personal = await open({ JXC_MASTER_KEY: old });
    await sealSomething(personal);
    await personal.keyStore.close();
    const next = newMasterKeyText();
    const message = await refusal({ JXC_MASTER_KEY: next });
    expect(message).toContain(parseMasterKey(old, 'x').id);
    expect(message).toContain(parseMasterKey(next, 'x').id);
    expect(message).not.toContain(next);
    const rotating = await open({ JXC_MASTER_KEY: next, JXC_MASTER_KEY_PREVIOUS: old });
    expect(rotating.masters.previous?.id).toBe(parseMasterKey(old, 'x').id);
  });

  it('refuses key files that do not exist and settings given twice, with one line naming the variable', async () => {
    expect(await refusal({ JXC_MASTER_KEY_FILE: join(secrets, 'missing.key') })).toContain('JXC_MASTER_KEY_FILE');
    expect(await refusal({ JXC_MASTER_KEY: newMasterKeyText(), JXC_MASTER_KEY_PREVIOUS_FILE: join(secrets, 'old.key') })).toContain('JXC_MASTER_KEY_PREVIOUS_FILE');
    expect(() => loadConfig({ JXC_DATA_DIR: dataDir, JXC_MASTER_KEY: newMasterKeyText(), JXC_MASTER_KEY_FILE: join(secrets, 'k') })).toThrow(/JXC_MASTER_KEY or JXC_MASTER_KEY_FILE, not both/);
  });
});
