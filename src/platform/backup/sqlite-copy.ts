import { statSync } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

import Database from 'better-sqlite3';

/**
 * The copy runs `VACUUM INTO` on its own connection in a worker thread: one read transaction, so the
 * copy is the database as of one commit (WAL: writers go on meanwhile, nothing restarts), and the
 * caller's event loop (the service's, or the CLI's progress bar) is never blocked. Plain JavaScript
 * evaluated in the worker, so it runs the same from dist/ and under the test runner.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.source, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 10000');
  db.prepare('VACUUM INTO ?').run(workerData.target);
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error && error.message ? error.message : String(error) });
} finally {
  db.close();
}
`;

export interface CopyProgress {
  /** Bytes written to the copy so far. */
  readonly bytes: number;
  /** The expected size of the copy (the source's used pages), an estimate. */
  readonly total: number;
}

/** The bytes of the source's pages in use: what `VACUUM INTO` will write, about. */
function usedBytes(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  } finally {
    db.close();
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function vacuumInto(source: string, target: string): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { driver, source, target } });
    let settled = false;
    worker.once('message', (message: { ok: boolean; message?: string }) => {
      settled = true;
      if (message.ok) resolve();
      else reject(new Error(`copy of ${source} failed: ${message.message}`));
    });
    worker.once('error', (error) => reject(error));
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`copy of ${source} stopped (worker exit ${code})`));
    });
  });
}

/**
 * A consistent copy of the SQLite database `source` at `target` (mode 0600), while other processes
 * write to it. Written under a temporary name and renamed: a `target` that exists is complete.
 */
export async function copySqlite(source: string, target: string, onProgress?: (progress: CopyProgress) => void): Promise<void> {
  const partial = `${target}.partial`;
  await rm(partial, { force: true });
  const total = usedBytes(source);
  onProgress?.({ bytes: 0, total });
  const timer = onProgress ? setInterval(() => onProgress({ bytes: sizeOf(partial), total }), 200) : undefined;
  try {
    await vacuumInto(source, partial);
    await chmod(partial, 0o600);
    await rename(partial, target);
    onProgress?.({ bytes: sizeOf(target), total: Math.max(total, sizeOf(target)) });
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    if (timer) clearInterval(timer);
  }
}
