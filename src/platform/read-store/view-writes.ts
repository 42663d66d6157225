import { InvalidViewWrite } from './errors.js';
import { isFieldPath, isPlainObject, pathsOverlap } from './field-path.js';
import { type PatchWrite, type ViewDocument, type ViewWrite } from './read-store.port.js';

/**
 * Rejects, before anything is written, what one backend would store differently from the other:
 * MongoDB (and FerretDB) reserve `_id`, keys starting with `$` or containing `.`; FerretDB 1.24
 * stores no array directly inside an array; JSON has no Date, bigint, NaN or Infinity.
 */
export function validateWrites(writes: readonly ViewWrite[]): void {
  if (!Array.isArray(writes)) throw new InvalidViewWrite(undefined, 'writes must be an array');
  for (const write of writes) {
    switch (write?.type) {
      case 'upsert':
        validateDocument(write.document);
        break;
      case 'patch':
        validatePatch(write);
        break;
      case 'delete':
        requireId(write.id);
        break;
      default:
        throw new InvalidViewWrite(undefined, `unknown write type ${String((write as { type?: unknown })?.type)}`);
    }
  }
}

function validateDocument(document: ViewDocument): void {
  if (!isPlainObject(document)) throw new InvalidViewWrite(undefined, 'a document is a plain object');
  requireId(document.id);
  requirePosition(document.id, document.position);
  if ('_id' in document) throw new InvalidViewWrite(document.id, '_id is reserved: the key is id');
  // The check without field paths first (every write of every batch): the paths are built only to explain a refusal.
  if (!isValidObject(document)) validateObject(document.id, document, '');
}

function validatePatch(patch: PatchWrite): void {
  requireId(patch.id);
  requirePosition(patch.id, patch.position);
  if (patch.setOnInsert !== undefined && !patch.upsert) throw new InvalidViewWrite(patch.id, 'setOnInsert needs upsert: true');
  const paths: string[] = ['position'];
  for (const [operator, fields] of [['set', patch.set], ['inc', patch.inc], ['setOnInsert', patch.setOnInsert]] as const) {
    if (fields === undefined) continue;
    if (!isPlainObject(fields)) throw new InvalidViewWrite(patch.id, `${operator} must be an object of field paths`);
    for (const [path, value] of Object.entries(fields)) {
      if (!isFieldPath(path) || path === 'id' || path.startsWith('id.')) {
        throw new InvalidViewWrite(patch.id, `${operator}: "${path}" is not a patchable field path`);
      }
      const clash = paths.find((other) => pathsOverlap(other, path));
      if (clash !== undefined) throw new InvalidViewWrite(patch.id, `${operator}: ${path} conflicts with ${clash} in the same patch`);
      paths.push(path);
      if (operator === 'inc') {
        if (!Number.isSafeInteger(value)) throw new InvalidViewWrite(patch.id, `inc ${path}: amounts are integers`);
      } else if (!isValidValue(value, false)) {
        validateValue(patch.id, value, path, false);
      }
    }
  }
}

function requireId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new InvalidViewWrite(undefined, 'id must be a non-empty string');
}

function requirePosition(id: string, position: unknown): void {
  if (typeof position !== 'string' || position.length === 0) throw new InvalidViewWrite(id, 'position must be a non-empty string');
}

/** Whether `validateObject` accepts the object (the same rules, no messages, nothing allocated per field). */
function isValidObject(object: Record<string, unknown>): boolean {
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i];
    if (key.length === 0 || key.startsWith('$') || key.includes('.') || key.includes('\0')) return false;
    if (!isValidValue(object[key], false)) return false;
  }
  return true;
}

/** Whether `validateValue` accepts the value (holes of a sparse array are skipped by both, as by `forEach`). */
function isValidValue(value: unknown, inArray: boolean): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'undefined':
      return !inArray;
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return !inArray && value.every((element) => isValidValue(element, true));
      return isPlainObject(value) && isValidObject(value);
    default:
      return false;
  }
}

/** Throws the refusal of the object with the path of the offending field. */
function validateObject(id: string, object: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(object)) {
    if (key.length === 0 || key.startsWith('$') || key.includes('.') || key.includes('\0')) {
      throw new InvalidViewWrite(id, `key "${key}" at ${path || 'top level'}: keys may not be empty, start with $ or contain a dot`);
    }
    validateValue(id, value, path ? `${path}.${key}` : key, false);
  }
}

function validateValue(id: string, value: unknown, path: string, inArray: boolean): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidViewWrite(id, `${path}: ${value} is not a JSON number`);
      return;
    case 'undefined':
      // Dropped like JSON.stringify does (and the MongoDB adapter's ignoreUndefined); in an array it would turn into null.
      if (inArray) throw new InvalidViewWrite(id, `${path}: undefined inside an array`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        if (inArray) throw new InvalidViewWrite(id, `${path}: an array directly inside an array is not supported`);
        value.forEach((element, index) => validateValue(id, element, `${path}[${index}]`, true));
        return;
      }
      if (!isPlainObject(value)) throw new InvalidViewWrite(id, `${path}: only plain JSON objects (no Date or class instances)`);
      validateObject(id, value, path);
      return;
    default:
      throw new InvalidViewWrite(id, `${path}: a ${typeof value} is not JSON`);
  }
}
