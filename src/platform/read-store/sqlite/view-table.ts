import type Database from 'better-sqlite3';

import { type IndexField, type ViewDefinition } from '../read-store.port.js';
import { indexKey, indexedFields, indexedKeys } from '../view-definition.js';

/**
 * One table per generation: `id`, `position`, `doc` (the other fields as JSON), plus one stored column per
 * indexed field (`f:<field>`), written with the row from the document the writer holds, with real indexes on
 * those columns. Stored, not generated from `doc`: an index write then never parses the document's JSON
 * (a generated column is parsed for each index on insert, and again for the old row on update). A column holds
 * what `json_extract` would give (indexValue), so a query compares the same values either way.
 *
 * The writer fills the columns the table has (`f:<field>` names its field), not those of its own definition: a
 * process still running an older definition fills a column a newer one added. Tables written before stored
 * columns (their `f:` columns generated from `doc`) are converted in place, in the caller's transaction.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQL expression of a field: a real column, an indexed column, or an extraction from `doc`. */
export function fieldExpression(definition: ViewDefinition, field: string): string {
  if (field === 'id' || field === 'position') return field;
  if (indexedFields(definition).has(field)) return quoteIdentifier(columnName(field));
  return extracted(field);
}

/** The field's value extracted from the stored document: what its index column holds. */
function extracted(field: string): string {
  return `json_extract(doc, ${jsonPathLiteral(field)})`;
}

const COLUMN_PREFIX = 'f:';

function columnName(field: string): string {
  return `${COLUMN_PREFIX}${field}`;
}

// Field paths are identifier segments joined by dots (checked by isFieldPath): safe inside a literal.
function jsonPathLiteral(field: string): string {
  return `'$.${field}'`;
}

/** The indexed fields with a column of their own (id and position are the table's own columns). */
function columnFields(definition: ViewDefinition): string[] {
  return [...indexedFields(definition)].filter((field) => field !== 'id' && field !== 'position');
}

function sqlKey(definition: ViewDefinition, { field, direction }: IndexField): string {
  return `${fieldExpression(definition, field)} ${direction === 'asc' ? 'ASC' : 'DESC'}`;
}

function indexName(table: string, key: string): string {
  return `${table}:${key}`;
}

function createTable(db: Database.Database, table: string, fields: readonly string[]): void {
  // No declared type: a column keeps the type of the value written (TEXT, INTEGER, REAL, NULL), as json_extract gives it.
  const columns = ['id TEXT PRIMARY KEY NOT NULL', 'position TEXT NOT NULL', 'doc TEXT NOT NULL', ...fields.map((field) => quoteIdentifier(columnName(field)))];
  db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (${columns.join(', ')})`);
}

/** The table's index columns: the fields they hold, and whether any is generated from `doc` (the older layout). */
export function indexColumnsOf(db: Database.Database, table: string): { fields: string[]; generated: boolean } {
  const columns = db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(table) as Array<{ name: string; hidden: number }>;
  const indexColumns = columns.filter(({ name }) => name.startsWith(COLUMN_PREFIX));
  return {
    fields: indexColumns.map(({ name }) => name.slice(COLUMN_PREFIX.length)),
    // hidden: 2 a virtual generated column, 3 a stored generated one.
    generated: indexColumns.some(({ hidden }) => hidden === 2 || hidden === 3),
  };
}

/**
 * Creates the table of a generation, or brings an existing one up to the definition: a column for each indexed
 * field (an added one filled from `doc`) and the declared indexes only. A column whose field is no longer indexed
 * stays (and is still written), so that no query of a process on the previous definition ever misses it.
 * Answers whether the table was converted from generated columns (its planner statistics went with it).
 */
export function ensureViewTable(db: Database.Database, definition: ViewDefinition, table: string): { converted: boolean } {
  const fields = columnFields(definition);
  createTable(db, table, fields);
  const existing = indexColumnsOf(db, table);
  if (existing.generated) convertToStoredColumns(db, table, [...new Set([...existing.fields, ...fields])]);

  const declared = new Map(definition.indexes.map((index) => [indexName(table, indexKey(index)), index]));
  const existingIndexes = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as Array<{ name: string }>
  ).map(({ name }) => name);
  for (const name of existingIndexes) {
    if (!declared.has(name)) db.exec(`DROP INDEX ${quoteIdentifier(name)}`);
  }
  if (!existing.generated) {
    const present = new Set(existing.fields);
    for (const field of fields) {
      if (present.has(field)) continue;
      const column = quoteIdentifier(columnName(field));
      db.exec(`ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${column}`);
      db.exec(`UPDATE ${quoteIdentifier(table)} SET ${column} = ${extracted(field)}`);
    }
  }
  for (const [name, index] of declared) {
    const keys = indexedKeys(index).map((key) => sqlKey(definition, key)).join(', ');
    db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdentifier(name)} ON ${quoteIdentifier(table)} (${keys})`);
  }
  return { converted: existing.generated };
}

/**
 * A table of the older layout copied into one with stored columns, filled by `json_extract` (what the generated
 * columns held), under the same name. Its indexes go with the old table; ensureViewTable creates them again.
 */
function convertToStoredColumns(db: Database.Database, table: string, fields: readonly string[]): void {
  const converting = `${table}:converting`;
  db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(converting)}`);
  createTable(db, converting, fields);
  const columns = ['id', 'position', 'doc', ...fields.map((field) => quoteIdentifier(columnName(field)))].join(', ');
  const values = ['id', 'position', 'doc', ...fields.map(extracted)].join(', ');
  db.exec(`INSERT INTO ${quoteIdentifier(converting)} (${columns}) SELECT ${values} FROM ${quoteIdentifier(table)}`);
  db.exec(`DROP TABLE ${quoteIdentifier(table)}`);
  // Legacy rename: nothing else in the schema is checked or rewritten, so an SQL view someone made on the table
  // (by its name, which comes back) neither blocks the rename nor follows it.
  db.pragma('legacy_alter_table = ON');
  try {
    db.exec(`ALTER TABLE ${quoteIdentifier(converting)} RENAME TO ${quoteIdentifier(table)}`);
  } finally {
    db.pragma('legacy_alter_table = OFF');
  }
}

/** The column names of `fields`, quoted, in order. */
export function indexColumnNames(fields: readonly string[]): string[] {
  return fields.map((field) => quoteIdentifier(columnName(field)));
}

/**
 * What `json_extract(doc, '$.<field>')` gives for the document `fields` (its JSON text being JSON.stringify of
 * them; validateWrites has refused what JSON cannot hold): NULL for a missing path or null; 1/0 for true/false;
 * the JSON text of an object or array; the string or number itself otherwise.
 */
export function indexValue(fields: Readonly<Record<string, unknown>>, field: string): string | number | null {
  let value: unknown = fields;
  for (const segment of field.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) return null;
    value = (value as Record<string, unknown>)[segment];
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // JSON has no NaN or Infinity (null) and no -0 (0).
      return !Number.isFinite(value) ? null : value === 0 ? 0 : value;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      return value === null ? null : JSON.stringify(value);
    default:
      return null;
  }
}

/** Per connection, the lookup `tableExists` runs: prepared once (a projection batch to a generation asks each time). */
const tableLookups = new WeakMap<Database.Database, Database.Statement>();

export function tableExists(db: Database.Database, table: string): boolean {
  let lookup = tableLookups.get(db);
  if (lookup === undefined) {
    lookup = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`);
    tableLookups.set(db, lookup);
  }
  return lookup.get(table) !== undefined;
}

export function listTables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map(({ name }) => name);
}
