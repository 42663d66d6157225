/**
 * Field paths name a top-level field or, dotted, a field of nested objects: `placedAt`,
 * `cancellation.state`. Segments are identifiers, which keeps them valid as MongoDB paths and as
 * SQLite JSON paths alike (no quoting, no array indexes, no `$` or `_id`).
 */
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

export function isFieldPath(path: string): boolean {
  return FIELD_PATH.test(path);
}

export function pathSegments(path: string): string[] {
  return path.split('.');
}

/** The value at a field path, or undefined when a segment is missing or a parent is not an object. */
export function valueAtPath(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const segment of pathSegments(path)) {
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** True when one path is the other or lies inside it: `a` and `a.b` overlap, `a.b` and `a.c` do not. */
export function pathsOverlap(left: string, right: string): boolean {
  return left === right || left.startsWith(`${right}.`) || right.startsWith(`${left}.`);
}
