import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

// Lints code as if it lived at the given path, so the layer rules of eslint.config.js apply to it.
const eslint = new ESLint({ cwd: process.cwd() });
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => message.ruleId ?? message.message);
}

describe('dependency rule (arrows point inward: src -> projections -> domain)', () => {
  it.each([
    ['@nestjs/common', "import { Injectable } from '@nestjs/common'; export { Injectable };"],
    ['a driver', "import Database from 'better-sqlite3'; export { Database };"],
    ['a Node I/O module', "import { readFileSync } from 'node:fs'; export { readFileSync };"],
    ['src/', "import { EVENT_STORE } from '../../src/platform/event-store/event-store.port.js'; export { EVENT_STORE };"],
    ['projections/', "import { x } from '../../projections/orders.js'; export { x };"],
  ])('domain/ may not import %s', async (_what, code) => {
    expect(await violations('domain/order/decide.ts', code)).toContain('no-restricted-imports');
  });

  it.each([
    ['the clock', 'export const now = Date.now();', 'no-restricted-properties'],
    ['a clock object', 'export const now = new Date();', 'no-restricted-syntax'],
    ['randomness', 'export const id = Math.random();', 'no-restricted-properties'],
    ['the environment', 'export const port = process.env.PORT;', 'no-restricted-globals'],
    ['a dynamic import', "export const fs = await import('node:fs');", 'no-restricted-syntax'],
  ])('domain/ may not read %s', async (_what, code, rule) => {
    expect(await violations('domain/stock/decide.ts', code)).toContain(rule);
  });

  it('projections/ may not import src/ or a driver, and may import domain/', async () => {
    expect(await violations('projections/orders.ts', "import { x } from '../src/app.module.js'; export { x };")).toContain('no-restricted-imports');
    expect(await violations('projections/orders.ts', "import { MongoClient } from 'mongodb'; export { MongoClient };")).toContain('no-restricted-imports');
    expect(await violations('projections/orders.ts', "import { orderStream } from '../domain/shared/streams.js'; export { orderStream };")).toEqual([]);
  });

  it('domain/ may import other domain/ files, parse times it is given and do arithmetic', async () => {
    const code = "import { hasRole } from '../shared/context.js'; export const at = new Date('2026-01-01T00:00:00Z'); export { hasRole };";
    expect(await violations('domain/order/decide.ts', code)).toEqual([]);
  });

  it('src/ may use frameworks and drivers', async () => {
    expect(await violations('src/main.ts', "import Database from 'better-sqlite3'; export { Database };")).toEqual([]);
  });
});
