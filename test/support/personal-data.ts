import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { type RunningApp } from './e2e.js';

/** A customer or supplier as registered, with every personal field filled in. */
export interface Person {
  readonly id: string;
  readonly name: string;
  readonly phone: string;
  readonly email: string;
  readonly address: string;
}

const PERSONAL = ['name', 'phone', 'email', 'address'] as const;
export const NULLED = { name: null, phone: null, email: null, address: null };

/** Every form of a person's data that must not be found at rest: each value, lower-cased too, and its Chinese text alone. */
function needles(person: Person): string[] {
  const values = PERSONAL.map((field) => person[field]);
  const chinese = values.flatMap((value) => value.match(/[\u3400-\u9fff]{2,}/g) ?? []);
  return [...new Set([...values, ...values.map((value) => value.toLowerCase()), ...chinese])];
}

/** The files under `dir`, relative to it (names only: listing a directory opens none of them). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** `<where>: <text>` for each personal text of `people` found in these bytes (UTF-8 or UTF-16): none is the expectation. */
export function plaintextInBytes(sources: readonly { path: string; bytes: Buffer }[], people: readonly Person[]): string[] {
  const found: string[] = [];
  for (const person of people) {
    for (const needle of needles(person)) {
      for (const variant of [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')]) {
        for (const source of sources) if (source.bytes.includes(variant)) found.push(`${source.path}: ${needle}`);
      }
    }
  }
  return found;
}

/**
 * Reads every file under `dir` (databases, -wal, -shm, -journal, keys.sqlite, anything) as bytes and answers
 * `<file>: <text>` for each personal text of `people` found in one (UTF-8 or UTF-16): none is the expectation.
 * In a child process: SQLite's POSIX locks belong to the process, and closing any descriptor of a database file
 * drops them all, so reading the files in the process that runs the service would corrupt its view of them.
 */
export function plaintextOnDisk(dir: string, people: readonly Person[]): string[] {
  const { NODE_OPTIONS: _jest, ...env } = process.env;
  const scan = spawnSync(process.execPath, ['-e', SCAN_FILES], { input: JSON.stringify({ dir, needles: [...new Set(people.flatMap(needles))] }), encoding: 'utf8', env });
  if (scan.status !== 0) throw new Error(`the file scan failed: ${scan.stderr}`);
  return JSON.parse(scan.stdout) as string[];
}

const SCAN_FILES = `
const fs = require('node:fs');
const path = require('node:path');
const { dir, needles } = JSON.parse(fs.readFileSync(0, 'utf8'));
const found = [];
for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
  if (!entry.isFile()) continue;
  const file = path.join(entry.parentPath, entry.name);
  const bytes = fs.readFileSync(file);
  for (const needle of needles) {
    if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))) found.push(file + ': ' + needle);
  }
}
process.stdout.write(JSON.stringify(found));
`;

/** Personal texts of `people` found anywhere in a response body: none is the expectation for a masked reader. */
export function plaintextIn(body: unknown, people: readonly Person[]): string[] {
  const json = JSON.stringify(body);
  return people.flatMap((person) => PERSONAL.map((field) => person[field]).filter((value) => json.includes(JSON.stringify(value).slice(1, -1))));
}

/** Waits until every projection has applied the whole log (/api/health). */
export async function caughtUp(jxc: RunningApp): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const projections = (await jxc.http.get('/api/health')).body.projections as Record<string, { caughtUp: boolean; lag: number }>;
    if (Object.values(projections).every((projection) => projection.caughtUp && projection.lag === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the projections did not catch up');
}
