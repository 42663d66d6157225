import { InvalidQuery } from './errors.js';
import { isFieldPath, isPlainObject } from './field-path.js';
import { type FilterValue, type RangeValue, type ViewFilter } from './read-store.port.js';

export type RangeOperator = 'gt' | 'gte' | 'lt' | 'lte';

/** One condition of a filter; a filter is the AND of its predicates. */
export type Predicate =
  | { readonly kind: 'eq'; readonly field: string; readonly value: FilterValue }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly FilterValue[] }
  | { readonly kind: 'range'; readonly field: string; readonly operator: RangeOperator; readonly value: RangeValue };

const RANGE_OPERATORS: Readonly<Record<string, RangeOperator>> = { $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' };
const MAX_IN_VALUES = 10_000;

/** Checks a filter against the supported subset and flattens it; anything else is an `InvalidQuery`. */
export function parseFilter(filter: ViewFilter | undefined): Predicate[] {
  if (filter === undefined) return [];
  if (!isPlainObject(filter)) throw new InvalidQuery('a filter is an object of field conditions');
  const predicates: Predicate[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (!isFieldPath(field)) throw new InvalidQuery(`"${field}" is not a field path (operators such as $or are not supported)`);
    if (isFilterValue(condition)) {
      predicates.push({ kind: 'eq', field, value: condition });
      continue;
    }
    if (!isPlainObject(condition) || Object.keys(condition).length === 0) {
      throw new InvalidQuery(`${field}: a condition is a string, number, boolean, null or an object of $eq, $in, $gt, $gte, $lt, $lte`);
    }
    for (const [operator, operand] of Object.entries(condition)) predicates.push(parseOperator(field, operator, operand));
  }
  return predicates;
}

function parseOperator(field: string, operator: string, operand: unknown): Predicate {
  if (operator === '$eq') {
    if (!isFilterValue(operand)) throw new InvalidQuery(`${field}.$eq: expected a string, number, boolean or null`);
    return { kind: 'eq', field, value: operand };
  }
  if (operator === '$in') {
    if (!Array.isArray(operand) || !operand.every(isFilterValue)) {
      throw new InvalidQuery(`${field}.$in: expected an array of strings, numbers, booleans or nulls`);
    }
    if (operand.length > MAX_IN_VALUES) throw new InvalidQuery(`${field}.$in: at most ${MAX_IN_VALUES} values`);
    return { kind: 'in', field, values: operand };
  }
  const range = RANGE_OPERATORS[operator];
  if (range === undefined) throw new InvalidQuery(`${field}: operator ${operator} is not supported`);
  if (typeof operand !== 'string' && !isFiniteNumber(operand)) {
    throw new InvalidQuery(`${field}.${operator}: expected a string or a finite number`);
  }
  return { kind: 'range', field, operator: range, value: operand };
}

export function isFilterValue(value: unknown): value is FilterValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
