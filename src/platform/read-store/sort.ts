import { InvalidQuery, SortNotIndexed } from './errors.js';
import { type SortKey, type ViewDefinition } from './read-store.port.js';
import { indexedFields } from './view-definition.js';

/** The sort a query runs: the requested keys, each on an indexed field, then `id` as the tie-breaker. */
export function resolveSort(definition: ViewDefinition, sort: readonly SortKey[] | undefined): SortKey[] {
  const requested = sort ?? [];
  if (!Array.isArray(requested)) throw new InvalidQuery('sort is an array of {field, direction}');
  const indexed = indexedFields(definition);
  const keys: SortKey[] = [];
  for (const { field, direction } of requested) {
    if (direction !== 'asc' && direction !== 'desc') throw new InvalidQuery(`sort direction of ${field} must be asc or desc`);
    if (keys.some((key) => key.field === field)) throw new InvalidQuery(`sort names ${field} twice`);
    keys.push({ field, direction });
    // id is unique: nothing after it can break a tie.
    if (field === 'id') return keys;
    if (!indexed.has(field)) throw new SortNotIndexed(definition.name, field);
  }
  const last = keys[keys.length - 1];
  keys.push({ field: 'id', direction: last?.direction ?? 'asc' });
  return keys;
}

export function sortSignature(keys: readonly SortKey[]): string {
  return keys.map(({ field, direction }) => `${field}:${direction}`).join(',');
}
