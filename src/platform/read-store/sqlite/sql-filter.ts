import { type Predicate } from '../filter.js';
import { type KeysetBranch } from '../keyset.js';
import { type FilterValue, type SortKey, type ViewDefinition } from '../read-store.port.js';
import { fieldExpression } from './view-table.js';

export type SqlParameter = string | number | null;

export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly SqlParameter[];
}

const RANGE_SQL = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** The filter as a WHERE clause. Same answers as MongoDB on single-typed fields, null or missing alike. */
export function filterCondition(definition: ViewDefinition, predicates: readonly Predicate[]): SqlCondition {
  const parts: string[] = [];
  const params: SqlParameter[] = [];
  for (const predicate of predicates) {
    const column = fieldExpression(definition, predicate.field);
    switch (predicate.kind) {
      case 'eq':
        if (predicate.value === null) {
          parts.push(`${column} IS NULL`);
        } else {
          parts.push(`${column} = ?`);
          params.push(sqlValue(predicate.value));
        }
        break;
      case 'in': {
        const present = predicate.values.filter((value) => value !== null);
        const alternatives: string[] = [];
        // One statement shape whatever the list length: the values travel as one JSON array.
        if (present.length > 0) {
          alternatives.push(`${column} IN (SELECT value FROM json_each(?))`);
          params.push(JSON.stringify(present));
        }
        if (present.length < predicate.values.length) alternatives.push(`${column} IS NULL`);
        parts.push(alternatives.length === 0 ? '0' : `(${alternatives.join(' OR ')})`);
        break;
      }
      case 'range':
        parts.push(`${column} ${RANGE_SQL[predicate.operator]} ?`);
        params.push(predicate.value);
        // MongoDB compares within one type; in SQLite every number sorts below every string, so bound the other side.
        if (typeof predicate.value === 'number' && (predicate.operator === 'gt' || predicate.operator === 'gte')) {
          parts.push(`${column} < ''`);
        } else if (typeof predicate.value === 'string' && (predicate.operator === 'lt' || predicate.operator === 'lte')) {
          parts.push(`${column} >= ''`);
        }
        break;
      default: {
        const unknown: never = predicate;
        throw new Error(`unhandled predicate ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

export function keysetCondition(definition: ViewDefinition, branch: KeysetBranch): SqlCondition {
  const parts: string[] = [];
  const params: SqlParameter[] = [];
  for (const { field, value } of branch.equal) {
    if (value === null) {
      parts.push(`${fieldExpression(definition, field)} IS NULL`);
    } else {
      parts.push(`${fieldExpression(definition, field)} = ?`);
      params.push(sqlValue(value));
    }
  }
  const { step } = branch;
  const column = fieldExpression(definition, step.field);
  switch (step.kind) {
    case 'greater':
      parts.push(`${column} > ?`);
      params.push(sqlValue(step.value));
      break;
    case 'less':
      parts.push(`${column} < ?`);
      params.push(sqlValue(step.value));
      break;
    case 'notNull':
      parts.push(`${column} IS NOT NULL`);
      break;
    case 'isNull':
      parts.push(`${column} IS NULL`);
      break;
    default: {
      const unknown: never = step;
      throw new Error(`unhandled keyset step ${JSON.stringify(unknown)}`);
    }
  }
  return { sql: parts.join(' AND '), params };
}

export function orderBy(definition: ViewDefinition, keys: readonly SortKey[]): string {
  return keys.map(({ field, direction }) => `${fieldExpression(definition, field)} ${direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
}

/** json_extract gives true/false as 1/0; SQLite binds no booleans. */
function sqlValue(value: Exclude<FilterValue, null>): SqlParameter {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
