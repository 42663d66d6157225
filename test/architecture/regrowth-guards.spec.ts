import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

// The guards of `npm test` against regrowth: the function limit of eslint.config.js and knip (knip.ts).

const eslint = new ESLint({ cwd: process.cwd() });
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => message.ruleId ?? message.message);
}

/** A function of `lines` lines of code (its own 4 lines and statements), with a blank line and a comment after each statement. */
function functionOf(lines: number): string {
  const statements = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};\n\n  // step ${i}`);
  return `export function long(): number {\n  let total = 0;\n${statements.join('\n')}\n  return total;\n}\n`;
}

describe('function limit (max-lines-per-function 60, blank lines and comments not counted)', () => {
  it('counts lines as the rule does: the fixtures are 60 and 61 lines of code', () => {
    const codeLines = (code: string) => code.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//')).length;
    expect(codeLines(functionOf(60))).toBe(60);
    expect(codeLines(functionOf(61))).toBe(61);
  });

  it.each(['src/orders/commands.ts', 'src/platform/http/validation.ts', 'domain/order/decide.ts', 'domain/shared/validation.ts'])(
    'a function of 61 lines is an error in %s, one of 60 is not',
    async (filePath) => {
      expect(await ruleIds(filePath, functionOf(61))).toContain('max-lines-per-function');
      expect(await ruleIds(filePath, functionOf(60))).toEqual([]);
    },
  );

  it('does not apply to specs', async () => {
    expect(await ruleIds('src/orders/commands.spec.ts', functionOf(61))).toEqual([]);
    expect(await ruleIds('domain/order/decide.unit.spec.ts', functionOf(61))).toEqual([]);
  });
});

interface KnipIssue {
  readonly file: string;
  readonly exports: readonly { readonly name: string }[];
  readonly files?: readonly unknown[];
}

// knip with this repository's knip.ts, on a temporary copy of the sources with a dead export and a dead
// file planted (node_modules linked, not copied). The copy keeps the real tree out of the experiment.
describe('dead code check (knip, knip.ts)', () => {
  let copy: string;
  let status: number;
  let issues: KnipIssue[];

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'jxc-knip-'));
    for (const entry of ['src', 'domain', 'projections', 'scripts', 'test', 'knip.ts', 'package.json', 'tsconfig.json', 'jest.config.js', 'eslint.config.js']) {
      cpSync(entry, join(copy, entry), { recursive: true });
    }
    symlinkSync(join(process.cwd(), 'node_modules'), join(copy, 'node_modules'), 'dir');
    const defaults = join(copy, 'domain/shared/defaults.ts');
    writeFileSync(defaults, `${readFileSync(defaults, 'utf8')}\nexport const PLANTED_DEAD_EXPORT = 1;\n`);
    writeFileSync(join(copy, 'src/planted-dead-file.ts'), 'export const orphan = 1;\n');

    const knip = join(process.cwd(), 'node_modules/knip/bin/knip.js');
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [knip, '--reporter', 'json', '--no-progress'], { cwd: copy, maxBuffer: 16 * 1024 * 1024 });
      status = 0;
      issues = (JSON.parse(stdout) as { issues: KnipIssue[] }).issues;
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      status = failure.code ?? -1;
      if (!failure.stdout) throw new Error(`knip produced no report (exit ${status}): ${failure.stderr}`, { cause: error });
      issues = (JSON.parse(failure.stdout) as { issues: KnipIssue[] }).issues;
    }
  }, 60_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const exportsOf = (file: string) => issues.filter((issue) => issue.file === file).flatMap((issue) => issue.exports.map((e) => e.name));

  it('reports an export nothing imports, and fails', () => {
    expect(exportsOf('domain/shared/defaults.ts')).toEqual(['PLANTED_DEAD_EXPORT']);
    expect(status).toBe(1);
  });

  it('reports a file nothing imports', () => {
    expect(issues.map((issue) => issue.file)).toContain('src/planted-dead-file.ts');
    const planted = issues.find((issue) => issue.file === 'src/planted-dead-file.ts');
    expect(planted?.files?.length ?? 0).toBeGreaterThan(0);
  });

  it('does not report what the entries reach: the service, the CLI, the worker, the benchmarks', () => {
    const reported = new Set(issues.filter((issue) => (issue.files?.length ?? 0) > 0).map((issue) => issue.file));
    for (const file of ['src/main.ts', 'src/app.module.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/platform/projection-runner/projection-worker.ts', 'scripts/bench/index.ts', 'scripts/crash/append-writer.ts']) {
      expect(reported).not.toContain(file);
    }
  });
});
