import type Database from 'better-sqlite3';

import { quoteIdentifier, tableExists } from './view-table.js';

// Below this, any plan is fast; above it, a page query must not sort every match.
const MIN_ROWS_FOR_STATISTICS = 1000;
// Statistics describe how selective each index is, which does not change when a table doubles: re-analyse then.
const STALE_FRACTION = 1;

/**
 * Keeps SQLite's planner statistics (sqlite_stat1) accurate for each view table.
 *
 * Without them the planner takes every equality as selective: `kind = 'sale' ORDER BY id` then
 * sorts 70% of the table for each page instead of walking the id index. Sampled statistics
 * (PRAGMA optimize, analysis_limit) are as bad for low-cardinality fields, so this runs a full
 * ANALYZE of one table (about 1.3 s per million documents) when it has never been analysed or has
 * had more writes than its analysed size: a rebuild from zero costs a geometric series, about
 * twice one final ANALYZE (at a quarter of it, five times).
 */
export class PlannerStatistics {
  private readonly writesSinceAnalysis = new Map<string, number>();
  private readonly analysedRowCounts = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Immediate>();

  constructor(private readonly db: Database.Database) {}

  /** At start-up: analyses the table now if its statistics are missing or stale. */
  refreshIfStale(table: string): void {
    const rows = (this.db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`).get() as { n: number }).n;
    const analysed = this.analysedRows(table);
    const drift = Math.abs(rows - analysed);
    if (rows >= MIN_ROWS_FOR_STATISTICS && drift > this.threshold(analysed)) {
      this.analyse(table);
    } else {
      this.writesSinceAnalysis.set(table, drift);
    }
  }

  /** After a committed batch: schedules an ANALYZE once enough has changed (after the caller's promise settles). */
  recordWrites(table: string, writes: number): void {
    const total = (this.writesSinceAnalysis.get(table) ?? 0) + writes;
    this.writesSinceAnalysis.set(table, total);
    if (total <= this.threshold(this.analysedRows(table)) || this.pending.has(table)) return;
    const scheduled = setImmediate(() => {
      this.pending.delete(table);
      if (this.db.open && tableExists(this.db, table)) this.analyse(table);
    });
    scheduled.unref();
    this.pending.set(table, scheduled);
  }

  forget(table: string): void {
    clearImmediate(this.pending.get(table));
    this.pending.delete(table);
    this.writesSinceAnalysis.delete(table);
    this.analysedRowCounts.delete(table);
  }

  stop(): void {
    for (const table of [...this.pending.keys()]) this.forget(table);
  }

  private analyse(table: string): void {
    this.db.exec(`ANALYZE ${quoteIdentifier(table)}`);
    this.writesSinceAnalysis.set(table, 0);
    this.analysedRowCounts.delete(table);
  }

  private threshold(analysedRows: number): number {
    return Math.max(MIN_ROWS_FOR_STATISTICS, analysedRows * STALE_FRACTION);
  }

  /** The row count the last ANALYZE saw: the first number of any of the table's sqlite_stat1 rows. */
  private analysedRows(table: string): number {
    let rows = this.analysedRowCounts.get(table);
    if (rows === undefined) {
      rows = this.readAnalysedRows(table);
      this.analysedRowCounts.set(table, rows);
    }
    return rows;
  }

  private readAnalysedRows(table: string): number {
    const hasStatistics = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`).get();
    if (!hasStatistics) return 0;
    const row = this.db.prepare(`SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1`).get(table) as { stat: string } | undefined;
    return row === undefined ? 0 : Number.parseInt(row.stat, 10);
  }
}
