import { describe, expect, it } from '@jest/globals';
import { changedEntries, emptyTable, getEntry, setEntry, tableEntries } from './keyed-table.js';

describe('keyed table', () => {
  it('finds what was set and nothing else', () => {
    const table = setEntry(setEntry(emptyTable<number>(), 'a', 1), 'b', 2);
    expect(getEntry(table, 'a')).toBe(1);
    expect(getEntry(table, 'b')).toBe(2);
    expect(getEntry(table, 'c')).toBeUndefined();
  });

  it('never changes the table it was given', () => {
    const before = setEntry(emptyTable<number>(), 'a', 1);
    const after = setEntry(before, 'a', 2);
    expect(getEntry(before, 'a')).toBe(1);
    expect(getEntry(after, 'a')).toBe(2);
  });

  it('lists every entry once', () => {
    let table = emptyTable<number>();
    for (let i = 0; i < 5000; i += 1) table = setEntry(table, `order-${i}`, i);
    table = setEntry(table, 'order-7', -7);
    const entries = new Map(tableEntries(table));
    expect(entries.size).toBe(5000);
    expect(entries.get('order-7')).toBe(-7);
    expect(entries.get('order-4999')).toBe(4999);
  });

  it('treats keys that look like object internals as plain keys', () => {
    const table = setEntry(emptyTable<number>(), '__proto__', 1);
    expect(getEntry(table, '__proto__')).toBe(1);
    expect(getEntry(emptyTable<number>(), 'constructor')).toBeUndefined();
    expect(tableEntries(table)).toEqual([['__proto__', 1]]);
  });

  it('lists what changed between two versions of a table: new keys and new values, not what they share', () => {
    let before = emptyTable<{ n: number }>();
    for (let i = 0; i < 3000; i += 1) before = setEntry(before, `order-${i}`, { n: i });
    const after = setEntry(setEntry(before, 'order-7', { n: -7 }), 'order-new', { n: 1 });
    expect(changedEntries(before, after).sort(([a], [b]) => a.localeCompare(b))).toEqual([['order-7', { n: -7 }], ['order-new', { n: 1 }]]);
    expect(changedEntries(after, after)).toEqual([]);
    // Unrelated tables (a state folded again): every entry.
    const refolded = JSON.parse(JSON.stringify(after)) as typeof after;
    expect(changedEntries(before, refolded)).toHaveLength(3001);
  });

  it('is plain JSON', () => {
    const table = setEntry(emptyTable<number>(), 'a', 1);
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });
});
