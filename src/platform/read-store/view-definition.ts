import { InvalidViewDefinition, UnknownGeneration } from './errors.js';
import { isFieldPath } from './field-path.js';
import { type IndexField, type ViewDefinition, type ViewIndex } from './read-store.port.js';

// No double underscore: `<view>__g<generation>` must name exactly one (view, generation) pair.
const VIEW_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const GENERATION = /^[1-9][0-9]{0,15}$/;
const MAX_VIEW_NAME_LENGTH = 60;

export const FIRST_GENERATION = '1';

function isViewName(name: string): boolean {
  return name.length <= MAX_VIEW_NAME_LENGTH && VIEW_NAME.test(name);
}

export function validateViewDefinition(definition: ViewDefinition): void {
  const { name, indexes } = definition;
  if (typeof name !== 'string' || !isViewName(name)) {
    throw new InvalidViewDefinition(String(name), 'a view name is lower-case letters and digits in words joined by single underscores');
  }
  const seen = new Set<string>();
  for (const index of indexes) {
    if (index.fields.length === 0) throw new InvalidViewDefinition(name, 'an index needs at least one field');
    const fields = new Set<string>();
    for (const { field, direction } of index.fields) {
      if (!isFieldPath(field)) throw new InvalidViewDefinition(name, `"${field}" is not a field path`);
      if (field === 'id') throw new InvalidViewDefinition(name, 'id is always indexed and always the last sort key; do not declare it');
      if (direction !== 'asc' && direction !== 'desc') throw new InvalidViewDefinition(name, `direction of ${field} must be asc or desc`);
      if (fields.has(field)) throw new InvalidViewDefinition(name, `${field} appears twice in one index`);
      fields.add(field);
    }
    const key = indexKey(index);
    if (seen.has(key)) throw new InvalidViewDefinition(name, `index ${key} is declared twice`);
    seen.add(key);
  }
}

/** A stable name for an index, used by both adapters to tell declared indexes from stale ones. */
export function indexKey(index: ViewIndex): string {
  const fields = index.fields.map(({ field, direction }) => `${field}:${direction}`).join(',');
  return index.unique ? `unique:${fields}` : fields;
}

/**
 * The keys actually indexed: a non-unique index ends with `id` in the direction of its last field,
 * so that the `id` tie-breaker of every sort is served by the index and not by a sort step.
 */
export function indexedKeys(index: ViewIndex): IndexField[] {
  if (index.unique) return [...index.fields];
  const last = index.fields[index.fields.length - 1];
  return [...index.fields, { field: 'id', direction: last.direction }];
}

export function indexedFields(definition: ViewDefinition): Set<string> {
  return new Set(definition.indexes.flatMap((index) => index.fields.map(({ field }) => field)));
}

function isGeneration(generation: string): boolean {
  return typeof generation === 'string' && GENERATION.test(generation);
}

export function assertGeneration(view: string, generation: string): void {
  if (!isGeneration(generation)) throw new UnknownGeneration(view, generation);
}

/** The table or collection holding one generation of a view. */
export function physicalName(view: string, generation: string): string {
  return `${view}__g${generation}`;
}

/** The generation a physical name holds for this view, or undefined when it belongs to something else. */
export function generationOf(view: string, physical: string): string | undefined {
  const prefix = `${view}__g`;
  if (!physical.startsWith(prefix)) return undefined;
  const generation = physical.slice(prefix.length);
  return isGeneration(generation) ? generation : undefined;
}

export function byGenerationNumber(left: string, right: string): number {
  return Number(left) - Number(right);
}
