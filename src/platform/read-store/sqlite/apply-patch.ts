import { InvalidViewWrite } from '../errors.js';
import { isPlainObject, pathSegments } from '../field-path.js';
import { type PatchWrite } from '../read-store.port.js';

type Fields = Record<string, unknown>;

/**
 * A patch applied to the stored fields (all but id and position) the way MongoDB applies
 * `$set`/`$inc`/`$setOnInsert` in an upsert, so both adapters end with the same document.
 * Returns undefined when the document is missing and the patch is not an upsert.
 */
export function applyPatch(existing: Fields | undefined, patch: PatchWrite): Fields | undefined {
  if (existing === undefined && !patch.upsert) return undefined;
  const fields = existing ?? {};
  if (existing === undefined) setAll(fields, patch.setOnInsert, patch.id);
  setAll(fields, patch.set, patch.id);
  for (const [path, amount] of Object.entries(patch.inc ?? {})) {
    const { parent, key } = parentOf(fields, path, patch.id);
    const current = parent[key];
    if (current !== undefined && typeof current !== 'number') {
      throw new InvalidViewWrite(patch.id, `cannot apply inc to ${path}: it holds a non-numeric value`);
    }
    parent[key] = (current ?? 0) + amount;
  }
  return fields;
}

function setAll(fields: Fields, values: Readonly<Fields> | undefined, id: string): void {
  for (const [path, value] of Object.entries(values ?? {})) {
    if (value === undefined) continue;
    const { parent, key } = parentOf(fields, path, id);
    parent[key] = structuredClone(value);
  }
}

/** Walks to the object that holds the last segment, creating missing objects on the way. */
function parentOf(fields: Fields, path: string, id: string): { parent: Fields; key: string } {
  const segments = pathSegments(path);
  let parent = fields;
  for (const segment of segments.slice(0, -1)) {
    const next = parent[segment];
    if (next === undefined) {
      const created: Fields = {};
      parent[segment] = created;
      parent = created;
    } else if (isPlainObject(next)) {
      parent = next;
    } else {
      throw new InvalidViewWrite(id, `cannot set ${path}: ${segment} is not an object`);
    }
  }
  return { parent, key: segments[segments.length - 1] };
}
