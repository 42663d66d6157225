import type Database from 'better-sqlite3';

import { type EventToAppend, type RecordedEvent, type SerialisedEvent } from '../event-store.port.js';

/** Rows per read of a stream, of the log, or of a subscription's catch-up. */
export const PAGE_SIZE = 512;

/** An event to append with its data and metadata already serialised (once, when the append is queued). */
export interface RowToInsert extends SerialisedEvent {
  readonly eventId: string;
}

/** Where an event id is stored: what an idempotent re-append is checked against. */
export interface StoredId {
  stream_id: string;
  revision: number;
  position: number;
}

export interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Every statement of the adapter, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  const columns = 'position, stream_id, revision, event_id, type, data, metadata';
  return {
    insert: db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    byEventId: db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    eventById: db.prepare(`SELECT ${columns} FROM events WHERE event_id = ?`),
    streamHead: db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
    streamHeadId: db.prepare('SELECT revision, event_id FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
    streamForwards: limited(db, `SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT `),
    streamBackwards: limited(db, `SELECT ${columns} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT `),
    allForwards: limited(db, `SELECT ${columns} FROM events WHERE position > ? ORDER BY position ASC LIMIT `),
    head: db.prepare('SELECT max(position) AS position FROM events'),
  };
}

/**
 * One read with its LIMIT written into the SQL for one row and for a page (the sizes loads and catch-ups read), and
 * bound for any other. SQLite plans with the value bound to a LIMIT, so binding one marks the statement to be
 * prepared again (sqlite3ExprIsInteger sets its variable mask), and better-sqlite3 binds at every run: measured at
 * about 6 µs a read, on the 2–3 µs a read of a missing stream's head takes with a literal LIMIT.
 */
export interface Limited {
  readonly one: Database.Statement;
  readonly page: Database.Statement;
  readonly bound: Database.Statement;
}

function limited(db: Database.Database, sqlUpToLimit: string): Limited {
  return { one: db.prepare(`${sqlUpToLimit}1`), page: db.prepare(`${sqlUpToLimit}${PAGE_SIZE}`), bound: db.prepare(`${sqlUpToLimit}?`) };
}

/** At most `limit` rows of `read` with these parameters (the LIMIT's own excluded). */
export function rowsUpTo(read: Limited, limit: number, ...params: readonly (string | number)[]): EventRow[] {
  if (limit === 1) return read.one.all(...params) as EventRow[];
  if (limit === PAGE_SIZE) return read.page.all(...params) as EventRow[];
  return read.bound.all(...params, limit) as EventRow[];
}

export function serialise(event: EventToAppend): RowToInsert {
  const data = JSON.stringify(event.data);
  // JSON.stringify(undefined) is undefined: the column is NOT NULL, and a missing payload reads back as null.
  return { eventId: event.eventId, type: event.type, data: data === undefined ? 'null' : data, metadata: JSON.stringify(event.metadata) };
}

/**
 * A page of rows as one page of events, or, when a row cannot be decoded (its stored JSON damaged), the events
 * before it and then the error. A reader thus stops exactly where it did when it read one event at a time
 * (`jxc audit verify` names the last position it read).
 */
export function* decodedPage(rows: readonly EventRow[]): Generator<readonly RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (const row of rows) {
    let event: RecordedEvent;
    try {
      event = decode(row);
    } catch (error) {
      if (events.length > 0) yield events;
      throw error;
    }
    events.push(event);
  }
  if (events.length > 0) yield events;
}

export function decode(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: String(row.position),
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
  };
}
