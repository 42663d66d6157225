import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runJxc } from '../support/cli.js';

// `jxc export --out` where the file cannot be written: one line naming the problem, exit 2, nothing written.
// The output is checked before any store is opened, so an empty data directory is enough here.
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jxc-cli-export-'));
  mkdirSync(join(dir, 'a-folder'));
  writeFileSync(join(dir, 'a-file'), 'not a folder');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('jxc export --out', () => {
  it.each([
    ['a missing folder', ['missing', 'orders.csv'], /^jxc: --out \S+orders\.csv: the folder \S+missing does not exist$/],
    ['a folder inside a missing one', ['a-folder', 'x', 'y.csv'], /^jxc: --out \S+y\.csv: the folder \S+a-folder\/x does not exist$/],
    ['a file taken for a folder', ['a-file', 'y.csv'], /^jxc: --out \S+y\.csv: \S+a-file is not a folder$/],
    ['a folder as the file', ['a-folder'], /^jxc: --out \S+a-folder is a folder; give a file name$/],
  ])('to %s: one line on stderr, exit 2, no file', async (_case, path, message) => {
    const before = readdirSync(dir, { recursive: true });
    const run = await runJxc(join(dir, 'data'), ['export', 'orders', '--format', 'xlsx', '--out', join(dir, ...path)]);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(readdirSync(dir, { recursive: true })).toEqual(before);
  });
});
