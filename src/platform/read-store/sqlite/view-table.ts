import type Database from 'better-sqlite3';

import { type IndexField, type ViewDefinition } from '../read-store.port.js';
import { indexKey, indexedFields, indexedKeys } from '../view-definition.js';

/**
 * One table per generation: `id`, `position`, `doc` (the other fields as JSON), plus one virtual
 * generated column per indexed field, `json_extract`ed from `doc`, with real indexes on those
 * columns. Virtual columns cost nothing per row (the indexes hold their values) and, unlike stored
 * ones, can be added to an existing table when a definition gains an indexed field.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQL expression of a field: a real column, an indexed generated column, or an extraction from `doc`. */
export function fieldExpression(definition: ViewDefinition, field: string): string {
  if (field === 'id' || field === 'position') return field;
  if (indexedFields(definition).has(field)) return quoteIdentifier(columnName(field));
  return `json_extract(doc, ${jsonPathLiteral(field)})`;
}

function columnName(field: string): string {
  return `f:${field}`;
}

// Field paths are identifier segments joined by dots (checked by isFieldPath): safe inside a literal.
function jsonPathLiteral(field: string): string {
  return `'$.${field}'`;
}

function generatedColumn(field: string): string {
  return `${quoteIdentifier(columnName(field))} AS (json_extract(doc, ${jsonPathLiteral(field)})) VIRTUAL`;
}

function sqlKey(definition: ViewDefinition, { field, direction }: IndexField): string {
  return `${fieldExpression(definition, field)} ${direction === 'asc' ? 'ASC' : 'DESC'}`;
}

function indexName(table: string, key: string): string {
  return `${table}:${key}`;
}

/** Creates the table of a generation, or brings an existing one up to the definition. */
export function ensureViewTable(db: Database.Database, definition: ViewDefinition, table: string): void {
  const fields = [...indexedFields(definition)].filter((field) => field !== 'position');
  const columns = ['id TEXT PRIMARY KEY NOT NULL', 'position TEXT NOT NULL', 'doc TEXT NOT NULL', ...fields.map(generatedColumn)];
  db.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (${columns.join(', ')})`);

  const existingColumns = new Set(
    (db.prepare(`SELECT name FROM pragma_table_xinfo(?)`).all(table) as Array<{ name: string }>).map(({ name }) => name),
  );
  for (const field of fields) {
    if (!existingColumns.has(columnName(field))) db.exec(`ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${generatedColumn(field)}`);
  }

  const declared = new Map(definition.indexes.map((index) => [indexName(table, indexKey(index)), index]));
  const existingIndexes = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as Array<{ name: string }>
  ).map(({ name }) => name);
  for (const name of existingIndexes) {
    if (!declared.has(name)) db.exec(`DROP INDEX ${quoteIdentifier(name)}`);
  }
  for (const [name, index] of declared) {
    const keys = indexedKeys(index).map((key) => sqlKey(definition, key)).join(', ');
    db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdentifier(name)} ON ${quoteIdentifier(table)} (${keys})`);
  }
}

export function tableExists(db: Database.Database, table: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
}

export function listTables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map(({ name }) => name);
}
