import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type Config, ConfigError } from '../platform/config/config.js';
import { isEnvelope } from '../platform/personal-data/envelope.js';
import { DEFAULT_MASTER_KEY_FILE, openPersonalData, type PersonalData } from '../platform/personal-data/open-personal-data.js';
import { usageError } from './cli-error.js';

/**
 * The personal data of what a command prints, opened as the service opens them for a reader allowed to see
 * them (the operator holds the master key): the key store and the master key from the same configuration
 * (JXC_MASTER_KEY or JXC_MASTER_KEY_FILE, else `<dataDir>/master.key`; JXC_MASTER_KEY_PREVIOUS[_FILE]).
 * Opened on the first value that holds a sealed field: output without personal data needs no master key.
 * Unlike the service, the CLI never makes a master key.
 */
export class CliDisclosure {
  private opening: Promise<PersonalData> | undefined;

  constructor(private readonly config: Config) {}

  /** `value` with every sealed field opened (null when its party was erased). */
  async reveal<T>(value: T): Promise<T> {
    if (!holdsSealed(value)) return value;
    const personal = await (this.opening ??= this.open());
    return personal.vault.disclose(value, 'reveal');
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) await (await opening.catch(() => undefined))?.keyStore.close();
  }

  private open(): Promise<PersonalData> {
    return openCliPersonalData(this.config, 'the output holds sealed personal data');
  }
}

/**
 * The key store and master keys as the service opens them (openPersonalData), except that the CLI never makes a
 * master key: with none configured and no `<dataDir>/master.key`, a usage error that starts with `why`. Any
 * configuration problem (a bad key, another key than the one that sealed the data) is a usage error too.
 */
export async function openCliPersonalData(config: Config, why: string): Promise<PersonalData> {
  const source = config.masterKey;
  if (source.value === undefined && source.file === undefined && !existsSync(join(config.dataDir, DEFAULT_MASTER_KEY_FILE))) {
    throw usageError(`${why} and no master key is configured: set JXC_MASTER_KEY or JXC_MASTER_KEY_FILE to the service's master key`);
  }
  try {
    return await openPersonalData(config);
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(error.message);
    throw error;
  }
}

function holdsSealed(value: unknown): boolean {
  if (isEnvelope(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSealed);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsSealed);
  return false;
}
