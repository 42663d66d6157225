import { type Document } from 'mongodb';

import { type Predicate } from '../filter.js';
import { type KeysetBranch, type KeysetStep } from '../keyset.js';
import { type SortKey } from '../read-store.port.js';
import { toStored } from './bson-values.js';

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
        operators.$eq = storedValue(predicate.field, predicate.value);
        break;
      case 'in':
        operators.$in = predicate.values.map((value) => storedValue(predicate.field, value));
        break;
      case 'range':
        if (predicate.value === '' && (predicate.operator === 'gt' || predicate.operator === 'gte')) {
          // "Is set" (`{$gte: ''}`): every string, and every time, which is stored as a BSON date (bson-values.ts).
          operators.$type = ['string', 'date'];
          if (predicate.operator === 'gt') operators.$ne = '';
        } else {
          operators[RANGE_OPERATOR[predicate.operator]] = storedValue(predicate.field, predicate.value);
        }
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
  for (const { field, value } of branch.equal) filter[mongoField(field)] = { $eq: storedValue(field, value) };
  filter[mongoField(branch.step.field)] = stepCondition(branch.step);
  return filter;
}

function stepCondition(step: KeysetStep): Document {
  switch (step.kind) {
    case 'greater':
      return { $gt: storedValue(step.field, step.value) };
    case 'less':
      return { $lt: storedValue(step.field, step.value) };
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

/** A value compared with a field, as the field stores it (times as BSON dates); the key `id` is always a plain string. */
function storedValue(field: string, value: unknown): unknown {
  return mongoField(field) === '_id' ? value : toStored(value);
}

export function mongoSort(keys: readonly SortKey[]): Record<string, 1 | -1> {
  return Object.fromEntries(keys.map(({ field, direction }) => [mongoField(field), direction === 'asc' ? 1 : -1]));
}
