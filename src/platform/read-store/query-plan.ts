import { decodeCursor } from './cursor.js';
import { InvalidQuery } from './errors.js';
import { type Predicate, parseFilter } from './filter.js';
import { DEFAULT_PAGE_SIZE, type FilterValue, MAX_PAGE_SIZE, type SortKey, type ViewDefinition, type ViewQuery } from './read-store.port.js';
import { resolveSort } from './sort.js';

/** A query checked against the view's definition, in the terms both adapters translate. */
export interface QueryPlan {
  readonly predicates: readonly Predicate[];
  readonly sort: readonly SortKey[];
  readonly limit: number;
  /** Sort key values of the last document of the previous page. */
  readonly after: readonly FilterValue[] | undefined;
}

export function planQuery(definition: ViewDefinition, query: ViewQuery = {}): QueryPlan {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidQuery(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const predicates = parseFilter(query.filter);
  const sort = resolveSort(definition, query.sort);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort);
  return { predicates, sort, limit, after };
}
