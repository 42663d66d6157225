import { resolve } from 'node:path';

import { type Durability } from '../event-store/sqlite/schema.js';

export interface Config {
  readonly port: number;
  readonly dataDir: string;
  readonly eventStoreUrl: string | undefined;
  readonly mongodbUrl: string | undefined;
  readonly bootstrapAdminKey: string | undefined;
  readonly durability: Durability;
  /** The address the HTTP server binds (`HOST`, default 127.0.0.1). */
  readonly host: string;
  /** Certificate and key files (PEM) when the service speaks HTTPS itself (`JXC_TLS_CERT`, `JXC_TLS_KEY`). */
  readonly tls: TlsFiles | undefined;
  /** Origins a browser may call the API from (`JXC_CORS_ORIGINS`); empty: CORS off. */
  readonly corsOrigins: readonly string[];
  /** Requests per minute one API key may make (`JXC_RATE_LIMIT_PER_MINUTE`); undefined: no limit. */
  readonly rateLimitPerMinute: number | undefined;
  /** Failed authentications one client address may make within the window before it gets 429 (API.md: 10 in 60 s). */
  readonly failedAuthentications: { readonly limit: number; readonly windowMs: number };
  /** Where the master key comes from (src/platform/personal-data/open-personal-data.ts resolves it). */
  readonly masterKey: MasterKeySource;
  /**
   * Service processes on one data directory (`JXC_WORKERS`, default 1: one process, no cluster). Above 1, main.ts
   * runs a supervisor that forks this many processes sharing the port; one of them holds the leader lease
   * (src/platform/cluster). Optional so that a Config built by hand (tests) means one process.
   */
  readonly workers?: number;
  /**
   * Events between two snapshots of a stream (`JXC_SNAPSHOT_EVERY`, default 1,000). Smaller: shorter loads, more
   * snapshot writes; the fault and crash tests set it low so that loads from snapshots happen all the time.
   */
  readonly snapshotEvery?: number;
  /**
   * Megabytes of view documents (as JSON) the projection runners keep in memory per view between batches
   * (`JXC_PROJECTION_CACHE_MB`, default 32; src/platform/projection-runner/document-cache.ts).
   */
  readonly projectionCacheMb?: number;
}

/** `JXC_MASTER_KEY` or `JXC_MASTER_KEY_FILE`, and the previous key during a rotation; all optional here. */
export interface MasterKeySource {
  readonly value: string | undefined;
  readonly file: string | undefined;
  readonly previousValue: string | undefined;
  readonly previousFile: string | undefined;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export const CONFIG = Symbol('Config');

/** A bad value in the environment: the process stops with this one line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Config = {
    port: port(env.PORT),
    dataDir: resolve(nonEmpty('JXC_DATA_DIR', env.JXC_DATA_DIR) ?? './data'),
    eventStoreUrl: esdbScheme(url('EVENTSTORE_URL', env.EVENTSTORE_URL, ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:', 'kdb:', 'kdb+discover:'])),
    mongodbUrl: url('MONGODB_URL', env.MONGODB_URL, ['mongodb:', 'mongodb+srv:']),
    bootstrapAdminKey: adminKey(env.JXC_BOOTSTRAP_ADMIN_KEY),
    durability: durability(env.JXC_DURABILITY),
    host: nonEmpty('HOST', env.HOST) ?? '127.0.0.1',
    tls: tlsFiles(env.JXC_TLS_CERT, env.JXC_TLS_KEY),
    corsOrigins: corsOrigins(env.JXC_CORS_ORIGINS),
    rateLimitPerMinute: rateLimit(env.JXC_RATE_LIMIT_PER_MINUTE),
    failedAuthentications: { limit: 10, windowMs: 60_000 },
    masterKey: masterKeySource(env),
    workers: workers(env.JXC_WORKERS),
    snapshotEvery: snapshotEvery(env.JXC_SNAPSHOT_EVERY),
    projectionCacheMb: projectionCacheMb(env.JXC_PROJECTION_CACHE_MB),
  };
  // The leader lease lives in the embedded store's file, or with EventStoreDB in the MongoDB read store
  // (src/platform/cluster): the processes share no file then, and a SQLite read store would be one per process.
  if (severalProcesses(config) && config.eventStoreUrl !== undefined && config.mongodbUrl === undefined) {
    throw new ConfigError('JXC_WORKERS above 1 with EVENTSTORE_URL needs MONGODB_URL (the read store the processes share, and the leader lease)');
  }
  return config;
}

function masterKeySource(env: NodeJS.ProcessEnv): MasterKeySource {
  const source = {
    value: nonEmpty('JXC_MASTER_KEY', env.JXC_MASTER_KEY),
    file: nonEmpty('JXC_MASTER_KEY_FILE', env.JXC_MASTER_KEY_FILE),
    previousValue: nonEmpty('JXC_MASTER_KEY_PREVIOUS', env.JXC_MASTER_KEY_PREVIOUS),
    previousFile: nonEmpty('JXC_MASTER_KEY_PREVIOUS_FILE', env.JXC_MASTER_KEY_PREVIOUS_FILE),
  };
  if (source.value !== undefined && source.file !== undefined) throw new ConfigError('set JXC_MASTER_KEY or JXC_MASTER_KEY_FILE, not both');
  if (source.previousValue !== undefined && source.previousFile !== undefined) {
    throw new ConfigError('set JXC_MASTER_KEY_PREVIOUS or JXC_MASTER_KEY_PREVIOUS_FILE, not both');
  }
  return { ...source, file: source.file === undefined ? undefined : resolve(source.file), previousFile: source.previousFile === undefined ? undefined : resolve(source.previousFile) };
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(`${name} is set but empty`);
  return value.trim();
}

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 0 || parsed > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  return parsed;
}

function url(name: string, value: string | undefined, protocols: string[]): string | undefined {
  const text = nonEmpty(name, value);
  if (text === undefined) return undefined;
  const protocol = urlProtocol(text);
  if (protocol === undefined) throw new ConfigError(`${name} is not a URL: ${JSON.stringify(text)}`);
  if (!protocols.includes(protocol)) throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${JSON.stringify(text)}`);
  return text;
}

/**
 * The scheme of a URL, or undefined when it is not one. A seed list (`mongodb://a:27017,b:27017/db?replicaSet=rs0`,
 * `esdb://n1:2113,n2:2113?tls=false`) is a URL to its drivers but not to WHATWG's parser: each host of the list is
 * checked on its own in place of the whole list.
 */
function urlProtocol(text: string): string | undefined {
  const seeds = /^([a-z][a-z0-9+.-]*:)\/\/(?:[^@/?#]*@)?([^/?#]*)(.*)$/i.exec(text);
  if (seeds === null) return undefined;
  const [, scheme, hosts, rest] = seeds;
  const list = hosts!.split(',');
  for (const host of list) {
    try {
      new URL(`${scheme}//${host}${list.length === 1 ? rest : ''}`);
    } catch {
      return undefined;
    }
    if (host === '') return undefined;
  }
  return scheme!.toLowerCase();
}

/**
 * `kurrentdb://` and `kdb://` (with or without `+discover`) are KurrentDB's names for the same connection string;
 * @eventstore/db-client 6.2.1 parses only `esdb://` and `esdb+discover://`, in lower case, so the scheme is
 * renamed (and lower-cased) and the rest of the string (hosts, credentials, options) is kept as given.
 */
function esdbScheme(value: string | undefined): string | undefined {
  return value?.replace(/^(?:kurrentdb|kdb|esdb)(\+discover)?:/i, (_scheme, discover: string | undefined) => (discover ? 'esdb+discover:' : 'esdb:'));
}

function adminKey(value: string | undefined): string | undefined {
  const key = nonEmpty('JXC_BOOTSTRAP_ADMIN_KEY', value);
  if (key !== undefined && key.length < 16) throw new ConfigError('JXC_BOOTSTRAP_ADMIN_KEY must be at least 16 characters');
  return key;
}

function durability(value: string | undefined): Durability {
  if (value === undefined || value === '') return 'full';
  if (value === 'full' || value === 'normal') return value;
  throw new ConfigError(`JXC_DURABILITY must be "full" or "normal", got ${JSON.stringify(value)}`);
}

function tlsFiles(cert: string | undefined, key: string | undefined): TlsFiles | undefined {
  const certFile = nonEmpty('JXC_TLS_CERT', cert);
  const keyFile = nonEmpty('JXC_TLS_KEY', key);
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new ConfigError(`JXC_TLS_CERT and JXC_TLS_KEY go together: ${certFile === undefined ? 'JXC_TLS_KEY' : 'JXC_TLS_CERT'} is set, the other is not`);
  }
  return { certFile: resolve(certFile), keyFile: resolve(keyFile) };
}

/** `https://a.example, https://b.example` -> each origin as a browser sends it (scheme, host, port; no path). */
function corsOrigins(value: string | undefined): string[] {
  const text = nonEmpty('JXC_CORS_ORIGINS', value);
  if (text === undefined) return [];
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => {
    let parsed: URL;
    try {
      parsed = new URL(item);
    } catch {
      throw new ConfigError(`JXC_CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com, got ${JSON.stringify(item)}`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== item.replace(/\/$/, '')) {
      throw new ConfigError(`JXC_CORS_ORIGINS must list origins (scheme://host[:port], no path), got ${JSON.stringify(item)}`);
    }
    return parsed.origin;
  });
}

function rateLimit(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 1_000_000) throw new ConfigError(`JXC_RATE_LIMIT_PER_MINUTE must be an integer from 0 (no limit) to 1000000, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The most service processes JXC_WORKERS may ask for: one SQLite file takes one writer at a time, so more only queue. */
const MAX_WORKERS = 16;

/** JXC_WORKERS > 1: other service processes share this one's store (caches checked, one leader, timed lock waits). */
export function severalProcesses(config: Pick<Config, 'workers'>): boolean {
  return (config.workers ?? 1) > 1;
}

/** An optional whole number from `min` to `max` (undefined when unset or empty), or one clear line. */
function integerInRange(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function snapshotEvery(value: string | undefined): number | undefined {
  return integerInRange('JXC_SNAPSHOT_EVERY', value, 2, 1_000_000);
}

function projectionCacheMb(value: string | undefined): number | undefined {
  return integerInRange('JXC_PROJECTION_CACHE_MB', value, 1, 4096);
}

function workers(value: string | undefined): number {
  return integerInRange('JXC_WORKERS', value, 1, MAX_WORKERS) ?? 1;
}
