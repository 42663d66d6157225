import { type Document } from 'mongodb';

import { type Predicate } from '../filter.js';
import { type KeysetBranch, type KeysetStep } from '../keyset.js';
import { type SortKey } from '../read-store.port.js';

const RANGE_OPERATOR = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

/** The document's `id` is MongoDB's `_id`; every other field path is used as is. */
export function mongoField(field: string): string {
  return field === 'id' ? '_id' : field;
}

/** The checked filter back as a MongoDB filter document: one operator object per field. */
export function mongoFilter(predicates: readonly Predicate[]): Document {
  const filter: Record<string, Record<string, unknown>> = {};
  for (const predicate of predicates) {
    const operators = (filter[mongoField(predicate.field)] ??= {});
    switch (predicate.kind) {
      case 'eq':
        operators.$eq = predicate.value;
        break;
      case 'in':
        operators.$in = predicate.values;
        break;
      case 'range':
        operators[RANGE_OPERATOR[predicate.operator]] = predicate.value;
        break;
      default: {
        const unknown: never = predicate;
        throw new Error(`unhandled predicate ${JSON.stringify(unknown)}`);
      }
    }
  }
  return filter;
}

/** The filter and "strictly after the cursor" (an `$or` of the keyset branches) together. */
export function mongoFilterAfter(filter: Document, branches: readonly KeysetBranch[]): Document {
  const after = { $or: branches.map(branchFilter) };
  return Object.keys(filter).length === 0 ? after : { $and: [filter, after] };
}

function branchFilter(branch: KeysetBranch): Document {
  const filter: Document = {};
  for (const { field, value } of branch.equal) filter[mongoField(field)] = { $eq: value };
  filter[mongoField(branch.step.field)] = stepCondition(branch.step);
  return filter;
}

function stepCondition(step: KeysetStep): Document {
  switch (step.kind) {
    case 'greater':
      return { $gt: step.value };
    case 'less':
      return { $lt: step.value };
    case 'notNull':
      return { $ne: null };
    case 'isNull':
      return { $eq: null };
    default: {
      const unknown: never = step;
      throw new Error(`unhandled keyset step ${JSON.stringify(unknown)}`);
    }
  }
}

export function mongoSort(keys: readonly SortKey[]): Record<string, 1 | -1> {
  return Object.fromEntries(keys.map(({ field, direction }) => [mongoField(field), direction === 'asc' ? 1 : -1]));
}
