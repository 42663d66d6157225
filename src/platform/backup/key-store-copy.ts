import Database from 'better-sqlite3';

import { ENVELOPE_PREFIX, envelopeStream } from '../personal-data/envelope.js';
import { type PersonalDataSummary } from './manifest.js';

/** A sealed value inside an event's JSON (envelope.ts: only base64url characters after the prefix, so never escaped). */
const SEALED = new RegExp(`${ENVELOPE_PREFIX}[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+`, 'g');
const CHUNK = 5000;

function readonly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** How many data keys a copy of keys.sqlite holds, live and destroyed, and which master keys wrap the live ones. */
export function keyStoreSummary(file: string): PersonalDataSummary {
  return readonly(file, (db) => {
    const counts = db.prepare('SELECT count(*) FILTER (WHERE destroyed_at IS NULL) AS live, count(*) FILTER (WHERE destroyed_at IS NOT NULL) AS destroyed FROM data_keys').get() as {
      live: number;
      destroyed: number;
    };
    const ids = db.prepare('SELECT DISTINCT master_key_id AS id FROM data_keys WHERE destroyed_at IS NULL ORDER BY id').all() as { id: string }[];
    return { liveKeys: counts.live, destroyedKeys: counts.destroyed, masterKeyIds: ids.map((row) => row.id), masterKeyIncluded: false };
  });
}

/** SQLite's own check of the file (pages, indexes): 'ok', or what it found. */
export function integrityCheck(file: string): string {
  return readonly(file, (db) => (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; '));
}

/** The parties whose data keys seal something in this copy of the log (the stream named in each envelope), read in chunks. */
export function sealedStreams(eventsFile: string): Set<string> {
  return readonly(eventsFile, (db) => {
    const streams = new Set<string>();
    const select = db.prepare<[number, number], { position: number; data: string }>(
      `SELECT position, data FROM events WHERE position > ? AND instr(data, '${ENVELOPE_PREFIX}') > 0 ORDER BY position LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = select.all(after, CHUNK);
      for (const row of rows) {
        for (const sealed of row.data.match(SEALED) ?? []) {
          const streamId = envelopeStream(sealed);
          if (streamId !== undefined) streams.add(streamId);
        }
      }
      if (rows.length < CHUNK) return streams;
      after = rows.at(-1)!.position;
    }
  });
}

/** The streams of `streamIds` that have no row (live or tombstone) in this copy of keys.sqlite. */
export function withoutKey(keysFile: string | undefined, streamIds: ReadonlySet<string>): string[] {
  if (streamIds.size === 0) return [];
  if (keysFile === undefined) return [...streamIds].sort();
  return readonly(keysFile, (db) => {
    const has = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM data_keys WHERE stream_id = ?');
    return [...streamIds].filter((streamId) => has.get(streamId) === undefined).sort();
  });
}
