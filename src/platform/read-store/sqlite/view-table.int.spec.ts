import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type SortKey, type ViewDefinition, type ViewDocument, type ViewFilter, type ViewTarget, type ViewWrite } from '../read-store.port.js';
import { physicalName } from '../view-definition.js';
import { SqliteReadStore } from './sqlite-read-store.js';
import { indexValue } from './view-table.js';

interface Item extends ViewDocument {
  readonly status: string;
  readonly total: number;
  readonly urgent: boolean;
  readonly cancellation: { readonly state: string } | null;
}

const items: ViewDefinition = {
  name: 'items',
  indexes: [
    { fields: [{ field: 'status', direction: 'asc' }, { field: 'total', direction: 'desc' }] },
    { fields: [{ field: 'urgent', direction: 'asc' }] },
    { fields: [{ field: 'cancellation.state', direction: 'asc' }] },
  ],
};

function item(n: number): Item {
  return {
    id: `i-${String(n).padStart(4, '0')}`,
    position: String(n),
    status: ['open', 'done', 'held'][n % 3],
    total: (n * 7919) % 1000,
    urgent: n % 4 === 0,
    cancellation: n % 5 === 0 ? { state: n % 10 === 0 ? 'approved' : 'requested' } : null,
  };
}

const upsert = (document: ViewDocument): ViewWrite => ({ type: 'upsert', document });

/**
 * Rewrites a table into the layout jxc used before index columns were stored: each `f:<field>` column generated
 * from `doc` (`json_extract`, VIRTUAL), the same indexes. What a data directory of an earlier version holds.
 */
function toGeneratedColumns(file: string, table: string): void {
  const db = new Database(file);
  try {
    const quoted = `"${table}"`;
    const fields = (db.prepare(`SELECT name FROM pragma_table_xinfo(?)`).pluck().all(table) as string[]).filter((name) => name.startsWith('f:')).map((name) => name.slice(2));
    const indexes = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).pluck().all(table) as string[];
    db.transaction(() => {
      const generated = fields.map((field) => `"f:${field}" AS (json_extract(doc, '$.${field}')) VIRTUAL`);
      db.exec(`CREATE TABLE "earlier" (id TEXT PRIMARY KEY NOT NULL, position TEXT NOT NULL, doc TEXT NOT NULL, ${generated.join(', ')})`);
      db.exec(`INSERT INTO "earlier" (id, position, doc) SELECT id, position, doc FROM ${quoted}`);
      db.exec(`DROP TABLE ${quoted}`);
      db.exec(`ALTER TABLE "earlier" RENAME TO ${quoted}`);
      for (const sql of indexes) db.exec(sql);
    })();
    expect(generatedColumns(db, table)).toBe(fields.length);
  } finally {
    db.close();
  }
}

function generatedColumns(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT hidden FROM pragma_table_xinfo(?)`).pluck().all(table) as number[]).filter((hidden) => hidden === 2 || hidden === 3).length;
}

/** What a user sees of a view through its indexes: ids by status then total, urgent ones, approved cancellations. */
async function answers(store: SqliteReadStore, target: ViewTarget): Promise<unknown> {
  const page = async (filter: ViewFilter, sort: SortKey[]) => (await store.query(target, { filter, sort, limit: 500 })).items.map(({ id }) => id);
  return {
    byStatus: await page({ status: { $in: ['open', 'held'] } }, [{ field: 'status', direction: 'asc' }, { field: 'total', direction: 'desc' }]),
    urgent: await page({ urgent: true }, [{ field: 'urgent', direction: 'asc' }]),
    approved: await page({ 'cancellation.state': 'approved' }, [{ field: 'cancellation.state', direction: 'asc' }]),
    cheap: await store.count(target, { status: 'open', total: { $lt: 300 } }),
  };
}

/** The same answers computed from the documents themselves. */
function expectedAnswers(documents: readonly Item[]): unknown {
  const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : 1);
  return {
    byStatus: documents
      .filter((d) => d.status === 'open' || d.status === 'held')
      .sort((a, b) => (a.status !== b.status ? (a.status < b.status ? -1 : 1) : a.total !== b.total ? b.total - a.total : -byId(a, b)))
      .map(({ id }) => id),
    urgent: documents.filter((d) => d.urgent).sort(byId).map(({ id }) => id),
    approved: documents.filter((d) => d.cancellation?.state === 'approved').sort(byId).map(({ id }) => id),
    cheap: documents.filter((d) => d.status === 'open' && d.total < 300).length,
  };
}

describe('index columns of the SQLite read store', () => {
  it('hold what json_extract gives for the stored JSON, for any document and path', () => {
    const db = new Database(':memory:');
    const extract = db.prepare('SELECT json_extract(?, ?) AS value');
    const key = fc.constantFrom('a', 'b', 'c');
    const { node } = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1, stringUnit: 'grapheme' }), fc.dictionary(key, tie('node')), fc.boolean()),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, node), fc.array(key, { minLength: 1, maxLength: 3 }), (document, segments) => {
        const path = segments.join('.');
        const { value } = extract.get(JSON.stringify(document), `$.${path}`) as { value: unknown };
        expect(indexValue(document as Record<string, unknown>, path)).toEqual(value);
      }),
      { numRuns: 1000 },
    );
    db.close();
  });

  describe('a data directory whose view tables generate their index columns from the JSON (earlier versions)', () => {
    let dataDir: string;
    let store: SqliteReadStore | undefined;

    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'jxc-view-table-'));
    });
    afterEach(async () => {
      await store?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('is converted when the view is ensured: every query answers as before, and after new writes', async () => {
      const documents = Array.from({ length: 120 }, (_, index) => item(index + 1));
      store = SqliteReadStore.open({ dataDir });
      await store.ensureView(items);
      await store.writeBatch('items', documents.map(upsert));
      await store.close();
      toGeneratedColumns(join(dataDir, 'views.sqlite'), physicalName('items', '1'));
      // An analyst's own SQL view on the table does not stand in the way.
      const analyst = new Database(join(dataDir, 'views.sqlite'));
      analyst.exec(`CREATE VIEW open_items AS SELECT id FROM "${physicalName('items', '1')}" WHERE json_extract(doc, '$.status') = 'open'`);
      analyst.close();

      store = SqliteReadStore.open({ dataDir });
      await store.ensureView(items);
      expect(await answers(store, 'items')).toEqual(expectedAnswers(documents));

      const changed = documents.map((d) => (d.total % 3 === 0 ? { ...d, status: 'open', urgent: !d.urgent, cancellation: { state: 'approved' }, position: `${d.position}9` } : d));
      await store.writeBatch('items', changed.filter((d, index) => d !== documents[index]).map(upsert));
      const more = Array.from({ length: 30 }, (_, index) => item(500 + index));
      await store.writeBatch('items', more.map(upsert));

      expect(await answers(store, 'items')).toEqual(expectedAnswers([...changed, ...more]));
      await store.close();
      store = undefined;
      const db = new Database(join(dataDir, 'views.sqlite'), { readonly: true });
      expect(generatedColumns(db, physicalName('items', '1'))).toBe(0);
      expect(db.prepare('SELECT count(*) FROM open_items').pluck().get()).toBe([...changed, ...more].filter((d) => d.status === 'open').length);
      db.close();
    });

    it('a generation being rebuilt, which no ensureView reaches, is converted at its first write', async () => {
      const documents = Array.from({ length: 60 }, (_, index) => item(index + 1));
      store = SqliteReadStore.open({ dataDir });
      await store.ensureView(items);
      const rebuilding = await store.createGeneration('items');
      await store.writeBatch({ view: 'items', generation: rebuilding }, documents.slice(0, 30).map(upsert));
      await store.close();
      toGeneratedColumns(join(dataDir, 'views.sqlite'), physicalName('items', rebuilding));

      store = SqliteReadStore.open({ dataDir });
      await store.ensureView(items);
      await store.writeBatch({ view: 'items', generation: rebuilding }, documents.slice(30).map(upsert));

      expect(await answers(store, { view: 'items', generation: rebuilding })).toEqual(expectedAnswers(documents));
    });
  });
});
