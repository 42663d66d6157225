import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { type Config, ConfigError } from '../config/config.js';
import { privateDir } from '../files/permissions.js';
import { type DataKeyStore } from './data-key-store.port.js';
import { type MasterKey, newMasterKeyText, parseMasterKey } from './master-key.js';
import { openDataKeyStore } from './open-data-key-store.js';
import { type MasterKeys, PersonalDataVault } from './personal-data-vault.js';

export const DEFAULT_MASTER_KEY_FILE = 'master.key';

export interface PersonalData {
  readonly vault: PersonalDataVault;
  readonly keyStore: DataKeyStore;
  readonly masters: MasterKeys;
  /** What an operator should hear at start (a generated key, a key kept inside the data directory). */
  readonly warnings: readonly string[];
}

/**
 * The key store and the vault over it, with the master key from configuration: JXC_MASTER_KEY, or
 * JXC_MASTER_KEY_FILE, or `<dataDir>/master.key`. With none of them, a new key is written to
 * `<dataDir>/master.key` (0600) only while the key store is empty; once personal data are sealed, a missing
 * or different key stops the start with one line (ConfigError).
 */
export async function openPersonalData(config: Config): Promise<PersonalData> {
  const keyStore = await openDataKeyStore(config);
  try {
    const warnings: string[] = [];
    const current = (await configuredKey(config, keyStore, warnings))!;
    const previous = previousKey(config);
    const masters: MasterKeys = previous ? { current, previous } : { current };
    const [sample] = await keyStore.page(undefined, 1);
    if (sample && sample.masterKeyId !== current.id && sample.masterKeyId !== previous?.id) {
      throw new ConfigError(
        `the configured master key (id ${current.id}) is not the one that sealed the personal data in this store (id ${sample.masterKeyId}): set JXC_MASTER_KEY to that key, or it as JXC_MASTER_KEY_PREVIOUS during a rotation`,
      );
    }
    return { vault: new PersonalDataVault(keyStore, masters), keyStore, masters, warnings };
  } catch (error) {
    await keyStore.close();
    throw error;
  }
}

async function configuredKey(config: Config, keyStore: DataKeyStore, warnings: string[]): Promise<MasterKey> {
  const source = config.masterKey;
  if (source.value !== undefined) return parseMasterKey(source.value, 'JXC_MASTER_KEY');
  const file = source.file ?? join(config.dataDir, DEFAULT_MASTER_KEY_FILE);
  if (existsSync(file)) {
    if (!relative(config.dataDir, file).startsWith('..')) {
      warnings.push(`the master key is kept in the data directory (${file}): keep it apart from the data in production (JXC_MASTER_KEY_FILE on another volume, or JXC_MASTER_KEY from a secret store); backups never include it`);
    }
    return parseMasterKey(readKeyFile(file), source.file === undefined ? file : 'JXC_MASTER_KEY_FILE');
  }
  if (source.file !== undefined) throw new ConfigError(`JXC_MASTER_KEY_FILE names ${file}, which does not exist`);
  if ((await keyStore.count()) > 0) {
    throw new ConfigError(`personal data in ${config.dataDir} are sealed and no master key is configured: set JXC_MASTER_KEY or JXC_MASTER_KEY_FILE to the key that sealed them`);
  }
  privateDir(config.dataDir);
  writeFileSync(file, `${newMasterKeyText()}\n`, { mode: 0o600, flag: 'wx' });
  warnings.push(`no master key was configured: a new one was written to ${file}; back it up apart from the data (without it personal data cannot be read), and in production set JXC_MASTER_KEY or JXC_MASTER_KEY_FILE instead`);
  return parseMasterKey(readKeyFile(file), file);
}

function previousKey(config: Config): MasterKey | undefined {
  const { previousValue, previousFile } = config.masterKey;
  if (previousValue !== undefined) return parseMasterKey(previousValue, 'JXC_MASTER_KEY_PREVIOUS');
  if (previousFile === undefined) return undefined;
  if (!existsSync(previousFile)) throw new ConfigError(`JXC_MASTER_KEY_PREVIOUS_FILE names ${previousFile}, which does not exist`);
  return parseMasterKey(readKeyFile(previousFile), 'JXC_MASTER_KEY_PREVIOUS_FILE');
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the master key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Opens and closes: a missing or wrong master key is a ConfigError before anything else starts (main.ts). */
export async function checkMasterKey(config: Config): Promise<void> {
  const { keyStore } = await openPersonalData(config);
  await keyStore.close();
}
