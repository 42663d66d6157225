import { LRUCache } from 'lru-cache';
import { createHmac } from 'node:crypto';

import { type DomainEvent } from '../../../domain/shared/event.js';
import { PERSONAL_FIELDS } from '../../../domain/party/events.js';
import { type EventCodec, type StreamCodec } from '../write-model/event-codec.js';
import { type DataKeyStore, type StoredDataKey } from './data-key-store.port.js';
import { envelopeStream, isEnvelope, newDataKey, open, seal } from './envelope.js';
import { type MasterKey, unwrapDataKey, wrapDataKey } from './master-key.js';

/** The master keys the service holds: new data keys are wrapped by `current`; `previous` only unwraps (rotation). */
export interface MasterKeys {
  readonly current: MasterKey;
  readonly previous?: MasterKey;
}

/** How a response shows personal data: opened, or masked (null) for a reader without the right to see them. */
export type Disclosure = 'reveal' | 'mask';

/** Where the key of pseudonym() is kept in the key store: not a stream of the log, never erased. */
const PSEUDONYM_KEY_STREAM = 'jxc-pseudonyms';

/** A data key is looked up again after this long, so an erasure by another process reaches this one within it. */
const KEY_CACHE_TTL_MS = 60_000;
const KEY_CACHE_SIZE = 50_000;

/** A party whose personal data were erased: nothing can be sealed for it again. */
export class PartyErased extends Error {
  constructor(readonly streamId: string) {
    super(`the personal data of ${streamId} were erased`);
    this.name = 'PartyErased';
  }
}

/**
 * Seals and opens personal data with per-party data keys (AES-256-GCM), kept wrapped by the master key in a
 * DataKeyStore. Erasure destroys the key: every sealed copy, in events, views, backups of views, reads as
 * null from then on (crypto-shredding). Opened text never leaves memory except in a response.
 */
export class PersonalDataVault implements EventCodec {
  /** Data keys by stream: null when there is none (a party from before sealing), or it was destroyed (`erased`). */
  private readonly keys = new LRUCache<string, { key: Buffer | null; erased: boolean }>({ max: KEY_CACHE_SIZE, ttl: KEY_CACHE_TTL_MS });

  constructor(
    private readonly store: DataKeyStore,
    private readonly masters: MasterKeys,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** The party aggregates' codec (EventCodec): personal fields of their events sealed on append, opened on load. */
  async forStream(streamId: string, toAppend: readonly DomainEvent[] = []): Promise<StreamCodec> {
    const sealing = toAppend.some((event) => personalHolders(event.data).some((holder) => PERSONAL_FIELDS.some((field) => typeof holder[field] === 'string')));
    const key = sealing ? await this.keyToSeal(streamId) : (await this.keysOf([streamId])).get(streamId) ?? null;
    return {
      encode: <Event extends DomainEvent>(event: Event): Event => ({ ...event, data: this.mapPersonal(event.data, (text) => seal(key!, streamId, text)) }),
      decode: <Event extends DomainEvent>(event: Event): Event => ({
        ...event,
        data: this.mapPersonal(event.data, (text) => (isEnvelope(text) ? (key === null ? null : open(key, text) ?? null) : text)),
      }),
    };
  }

  /**
   * The personal fields of a party record sealed with its key (a response that the idempotency record keeps).
   * A party without a key (registered before personal data were sealed) is answered as it is; an erased one, null.
   */
  async sealRecord<T extends object>(streamId: string, record: T): Promise<T> {
    const key = (await this.keysOf([streamId])).get(streamId);
    const erased = this.keys.get(streamId)?.erased === true;
    return this.mapPersonal(record, (text) => (erased ? null : key === undefined || isEnvelope(text) ? text : seal(key, streamId, text))) as T;
  }

  /**
   * Every sealed string anywhere in `value` opened (null when its key is destroyed or it does not open), or, for
   * `mask`, null. Personal fields written in clear by a version before sealing (a party document, or a party
   * event's data in an audit item or a feed item) are nulled the same way: for `mask` always, for `reveal` when
   * the party was erased. Answers a copy where something changed; `value` itself is never modified.
   */
  async disclose<T>(value: T, disclosure: Disclosure): Promise<T> {
    const streams = new Set<string>();
    if (!collectParties(value, streams)) return value;
    if (disclosure === 'mask') return replacePersonal(value, () => null, () => true) as T;
    const keys = await this.keysOf([...streams]);
    return replacePersonal(
      value,
      (sealed) => {
        const key = keys.get(envelopeStream(sealed) ?? '');
        return key ? open(key, sealed) ?? null : null;
      },
      (streamId) => streamId !== undefined && this.keys.get(streamId)?.erased === true,
    ) as T;
  }

  /**
   * A keyed digest (HMAC-SHA256, hex) of a text derived from personal data, such as an id made from an imported
   * row's cells: stable across runs, but nobody without the key store and the master key can tell whose data it
   * came from, so it outlives an erasure without revealing anything. The key is kept like a party's, under
   * PSEUDONYM_KEY_STREAM, and never destroyed.
   */
  async pseudonym(text: string): Promise<string> {
    const key = await this.keyToSeal(PSEUDONYM_KEY_STREAM);
    return createHmac('sha256', key).update(text, 'utf8').digest('hex');
  }

  /** Destroys the party's data key for good (a tombstone stays): its sealed data read as null from now on. */
  async erase(streamId: string): Promise<void> {
    await this.store.destroy(streamId, this.now());
    this.keys.set(streamId, { key: null, erased: true });
  }

  private async keyToSeal(streamId: string): Promise<Buffer> {
    const known = (await this.keysOf([streamId])).get(streamId);
    if (known) return known;
    const dataKey = newDataKey();
    const stored = await this.store.insertIfAbsent({
      streamId,
      wrapped: wrapDataKey(this.masters.current, streamId, dataKey),
      masterKeyId: this.masters.current.id,
      createdAt: this.now(),
      destroyedAt: null,
    });
    const key = this.unwrap(stored);
    if (key === null) throw new PartyErased(streamId);
    this.keys.set(streamId, { key, erased: false });
    return key;
  }

  /** The live data keys of these streams (none for a stream without one, or whose key was destroyed). */
  private async keysOf(streamIds: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const streamId of streamIds) {
      const cached = this.keys.get(streamId);
      if (cached === undefined) missing.push(streamId);
      else if (cached.key !== null) found.set(streamId, cached.key);
    }
    if (missing.length === 0) return found;
    const stored = await this.store.getMany(missing);
    for (const streamId of missing) {
      const row = stored.get(streamId);
      const key = row ? this.unwrap(row) : null;
      // A stream without a key yet is not remembered: its first append makes one.
      if (row) this.keys.set(streamId, { key, erased: row.destroyedAt !== null });
      if (key !== null) found.set(streamId, key);
    }
    return found;
  }

  private unwrap(row: StoredDataKey): Buffer | null {
    if (row.destroyedAt !== null || row.wrapped === '') return null;
    const master = [this.masters.current, this.masters.previous].find((candidate) => candidate?.id === row.masterKeyId);
    if (!master) throw new MasterKeyMismatch(row.masterKeyId);
    return unwrapDataKey(master, row.streamId, row.wrapped);
  }

  private mapPersonal(data: unknown, map: (text: string) => string | null): unknown {
    if (typeof data !== 'object' || data === null) return data;
    const record = { ...(data as Record<string, unknown>) };
    for (const field of PERSONAL_FIELDS) {
      const value = record[field];
      if (typeof value === 'string') record[field] = map(value);
    }
    // A CustomerChanged/SupplierChanged carries its personal fields in `changes`.
    if (isChanges(record.changes)) record.changes = this.mapPersonal(record.changes, map);
    return record;
  }
}

/** A data key wrapped by a master key the service was not given. */
export class MasterKeyMismatch extends Error {
  constructor(readonly masterKeyId: string) {
    super(`personal data are sealed under master key ${masterKeyId}, which is not the configured JXC_MASTER_KEY (nor JXC_MASTER_KEY_PREVIOUS)`);
    this.name = 'MasterKeyMismatch';
  }
}

function isChanges(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The records of an event's data that hold personal fields: the data itself, and the `changes` of a party change. */
function personalHolders(data: unknown): Record<string, unknown>[] {
  if (typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  return isChanges(record.changes) ? [record, record.changes] : [record];
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

const PARTY_STREAM = /^(customer|supplier)-/;

/** An event of a party's stream as an audit or feed item shows it: `{streamId, data: {name, …}}`. */
function partyEventStream(value: Record<string, unknown>): string | undefined {
  const { streamId, data } = value;
  return typeof streamId === 'string' && PARTY_STREAM.test(streamId) && typeof data === 'object' && data !== null ? streamId : undefined;
}

/** A party as a view or a command answers it: an `id` and the `erased` flag beside its personal fields. */
function isPartyDocument(value: Record<string, unknown>): boolean {
  return typeof value.erased === 'boolean' && 'name' in value && typeof value.id === 'string';
}

/** Collects the streams of sealed values and of party events; true when `value` holds anything personal. */
function collectParties(value: unknown, streams: Set<string>): boolean {
  if (isEnvelope(value)) {
    streams.add(envelopeStream(value) ?? '');
    return true;
  }
  if (Array.isArray(value)) return value.reduce<boolean>((found, item) => collectParties(item, streams) || found, false);
  if (typeof value !== 'object' || value === null || !isPlain(value)) return false;
  const record = value as Record<string, unknown>;
  let found = isPartyDocument(record);
  const stream = partyEventStream(record);
  if (stream !== undefined) {
    streams.add(stream);
    found = true;
  }
  for (const item of Object.values(record)) found = collectParties(item, streams) || found;
  return found;
}

/**
 * `value` with each sealed string given to `open`, and the personal fields written in clear nulled where
 * `nullClear` says so for their stream (`undefined`: a party document, whose stream is not named).
 */
function replacePersonal(value: unknown, open: (sealed: string) => string | null, nullClear: (streamId: string | undefined) => boolean): unknown {
  if (isEnvelope(value)) return open(value);
  if (Array.isArray(value)) return value.map((item) => replacePersonal(item, open, nullClear));
  if (typeof value !== 'object' || value === null || !isPlain(value)) return value;
  const record = value as Record<string, unknown>;
  const copy = Object.fromEntries(Object.entries(record).map(([field, item]) => [field, replacePersonal(item, open, nullClear)]));
  const stream = partyEventStream(record);
  if (stream !== undefined && nullClear(stream)) copy.data = nullPersonal(copy.data as Record<string, unknown>);
  if (isPartyDocument(record) && (record.erased === true || nullClear(undefined))) return nullPersonal(copy);
  return copy;
}

function nullPersonal(record: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...record };
  for (const field of PERSONAL_FIELDS) if (typeof copy[field] === 'string') copy[field] = null;
  return copy;
}
