import { describe, expect, it } from '@jest/globals';

import { InvalidViewWrite } from './errors.js';
import { type ViewWrite } from './read-store.port.js';
import { validateWrites } from './view-writes.js';

const upsert = (fields: Record<string, unknown>): ViewWrite => ({ type: 'upsert', document: { id: 'o-1', position: '7', ...fields } });

function refusal(writes: readonly ViewWrite[]): string {
  try {
    validateWrites(writes);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidViewWrite);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('view writes: what is refused names the document and the field where it is', () => {
  it.each([
    [{ lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: Number.NaN }] }, 'document o-1: lines[1].qty: NaN is not a JSON number'],
    [{ matrix: [[1, 2]] }, 'document o-1: matrix[0]: an array directly inside an array is not supported'],
    [{ customer: { address: { 'zip.code': '1' } } }, 'document o-1: key "zip.code" at customer.address: keys may not be empty, start with $ or contain a dot'],
    [{ $set: 1 }, 'document o-1: key "$set" at top level: keys may not be empty, start with $ or contain a dot'],
    [{ shipments: [{ at: new Date(0) }] }, 'document o-1: shipments[0].at: only plain JSON objects (no Date or class instances)'],
    [{ totals: { amount: 1n } }, 'document o-1: totals.amount: a bigint is not JSON'],
    [{ tags: ['a', undefined] }, 'document o-1: tags[1]: undefined inside an array'],
    [{ ratio: Number.POSITIVE_INFINITY }, 'document o-1: ratio: Infinity is not a JSON number'],
  ])('upsert %j', (fields, message) => {
    expect(refusal([upsert({ ok: 1 }), upsert(fields)])).toBe(message);
  });

  it('a patch names the field path it sets', () => {
    expect(refusal([{ type: 'patch', id: 'o-1', position: '7', set: { 'totals.amount': { value: [[1]] } } }])).toBe(
      'document o-1: totals.amount.value[0]: an array directly inside an array is not supported',
    );
  });

  it('accepts plain JSON documents, undefined fields outside arrays included', () => {
    expect(() => validateWrites([upsert({ lines: [{ sku: 'A', qty: 1, note: null }], total: 12, paid: false, extra: undefined, nested: { deep: { list: [1, 'x'] } } })])).not.toThrow();
  });
});
