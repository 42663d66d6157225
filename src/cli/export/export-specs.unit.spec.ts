import { describe, expect, it } from '@jest/globals';

import { CliError } from '../cli-error.js';
import { EXPORT_SPECS, exportSpec, filterFor, valueAt } from './export-specs.js';
import { PROJECTED_VIEWS } from '../../platform/projection-runner/view-catalog.js';

describe('export specs', () => {
  it('cover every projected view, sorting only on declared indexes', () => {
    for (const view of PROJECTED_VIEWS) {
      const spec = exportSpec(view.name);
      const indexed = new Set(view.indexes.flatMap((index) => index.fields.map(({ field }) => field)));
      for (const key of spec.sort) expect({ view: view.name, field: key.field, indexed: indexed.has(key.field) }).toEqual({ view: view.name, field: key.field, indexed: true });
    }
    expect(EXPORT_SPECS.map((spec) => spec.view)).toContain('dead_letters');
  });

  it('turn options into a read store filter: equality, none as null, --from inclusive and --to exclusive as stored times or days', () => {
    expect(filterFor(exportSpec('orders'), { options: { status: 'placed', cancellation: 'none', party: 'c1' }, from: '2026-03-01', to: '2026-03-02T08:00:00+08:00' })).toEqual({
      status: 'placed',
      'cancellation.state': null,
      partyId: 'c1',
      placedAt: { $gte: '2026-03-01T00:00:00.000Z', $lt: '2026-03-02T00:00:00.000Z' },
    });
    expect(filterFor(exportSpec('cancellation_stats'), { options: { 'initiated-by': 'supplier' }, from: '2026-03-01T10:00:00Z' })).toEqual({ initiatedBy: 'supplier', day: { $gte: '2026-03-01' } });
    expect(filterFor(exportSpec('audit_trail'), { options: { actor: 'carol', kind: undefined } })).toEqual({ 'actor.id': 'carol' });
  });

  it.each([
    ['a filter the view does not take', 'stock_levels', { options: { status: 'placed' } }, '--status does not apply to view stock_levels (it takes --sku, --warehouse, --alert)'],
    ['a value outside the list', 'orders', { options: { kind: 'rental' } }, '--kind must be one of sale, purchase; got "rental"'],
    ['an empty value', 'orders', { options: { party: ' ' } }, '--party is empty'],
    ['a range on a view without time', 'products', { options: {}, from: '2026-01-01' }, '--from/--to do not apply to view products'],
    ['a time that is not ISO-8601', 'orders', { options: {}, to: '2026-13-45' }, '--to must be an ISO-8601 date or time'],
  ])('refuse %s as a usage error (exit 2)', (_what, view, input, message) => {
    let thrown: unknown;
    try {
      filterFor(exportSpec(view), input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).exitCode).toBe(2);
    expect((thrown as CliError).message).toContain(message);
  });

  it('refuse an unknown view, listing the views', () => {
    expect(() => exportSpec('ledger')).toThrow('unknown view "ledger"; views: orders, stock_levels');
  });

  it('read dotted paths, never into arrays or nulls', () => {
    const doc = { cancellation: { state: 'approved' }, lines: [{ sku: 'A' }], nothing: null };
    expect(valueAt(doc, 'cancellation.state')).toBe('approved');
    expect(valueAt(doc, 'nothing.state')).toBeUndefined();
    expect(valueAt(doc, 'lines.sku')).toBeUndefined();
  });
});
