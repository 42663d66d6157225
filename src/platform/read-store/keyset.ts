import { type FilterValue, type SortKey } from './read-store.port.js';

/** A condition on the sort key where a branch leaves the cursor's prefix. */
export type KeysetStep =
  | { readonly kind: 'greater' | 'less'; readonly field: string; readonly value: string | number | boolean }
  | { readonly kind: 'notNull' | 'isNull'; readonly field: string };

/** Documents equal to the cursor on `equal` (null means null or missing) that satisfy `step`. */
export interface KeysetBranch {
  readonly equal: ReadonlyArray<{ readonly field: string; readonly value: FilterValue }>;
  readonly step: KeysetStep;
}

/**
 * Everything strictly after the cursor in sort order, as disjoint branches listed in sort order
 * (so a backend may also run them one after another until the page is full).
 *
 * Null or missing sorts first ascending and last descending, in MongoDB and in SQLite alike; both
 * compare ranges within one type only, so "after" a value never reaches into the nulls by itself.
 */
export function keysetBranches(keys: readonly SortKey[], after: readonly FilterValue[]): KeysetBranch[] {
  const branches: KeysetBranch[] = [];
  for (let depth = keys.length - 1; depth >= 0; depth -= 1) {
    const equal = keys.slice(0, depth).map(({ field }, index) => ({ field, value: after[index] }));
    const { field, direction } = keys[depth];
    const value = after[depth];
    for (const step of stepsAfter(field, direction, value)) branches.push({ equal, step });
  }
  return branches;
}

function stepsAfter(field: string, direction: SortKey['direction'], value: FilterValue): KeysetStep[] {
  if (direction === 'asc') return value === null ? [{ kind: 'notNull', field }] : [{ kind: 'greater', field, value }];
  return value === null ? [] : [{ kind: 'less', field, value }, { kind: 'isNull', field }];
}
