import type Database from 'better-sqlite3';

const MAX_STATEMENTS = 256;

/** Prepared statements by SQL text, least recently used evicted: queries come in a bounded number of shapes. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > MAX_STATEMENTS) this.statements.delete(this.statements.keys().next().value as string);
    return statement;
  }

  /** Forgets the statements naming a table that is being dropped. */
  forgetTable(quotedTable: string): void {
    for (const sql of this.statements.keys()) if (sql.includes(quotedTable)) this.statements.delete(sql);
  }
}
