/**
 * RFC 8785 (JCS) canonical JSON for the values events hold: keys sorted by UTF-16 code units, numbers
 * and strings as ECMAScript's JSON.stringify writes them, `undefined` members dropped. The output is the
 * `canonicalize` package's (the tests use it as the oracle); written here because hashing runs for every
 * event on the write path, where that package profiled at 15% of a placement's CPU: it scans each string
 * in JavaScript for lone surrogates and builds strings by map/join. This one writes into one buffer,
 * passes plain ASCII strings through, and caches quoted keys (events use a small, fixed set of names).
 */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const MAX_CACHED_KEYS = 10_000;
const quotedKeys = new Map<string, string>();

export function canonicalJson(value: unknown): string {
  const writer = { out: '' };
  write(writer, value);
  return writer.out;
}

function write(writer: { out: string }, value: unknown): void {
  if (value === null) {
    writer.out += 'null';
    return;
  }
  switch (typeof value) {
    case 'string':
      writer.out += quote(value);
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be hashed as JSON`);
      writer.out += JSON.stringify(value);
      return;
    case 'boolean':
      writer.out += value ? 'true' : 'false';
      return;
    case 'object':
      if (Array.isArray(value)) writeArray(writer, value);
      else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') write(writer, (value as { toJSON(): unknown }).toJSON());
      else writeObject(writer, value as Record<string, unknown>);
      return;
    default:
      throw new TypeError(`a ${typeof value} cannot be hashed as JSON`);
  }
}

function writeArray(writer: { out: string }, items: readonly unknown[]): void {
  writer.out += '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) writer.out += ',';
    const item = items[i];
    if (item === undefined || typeof item === 'function') writer.out += 'null';
    else write(writer, item);
  }
  writer.out += ']';
}

function writeObject(writer: { out: string }, object: Record<string, unknown>): void {
  writer.out += '{';
  let first = true;
  for (const key of sortedKeys(object)) {
    const member = object[key];
    if (member === undefined || typeof member === 'function') continue;
    if (!first) writer.out += ',';
    first = false;
    let quotedKey = quotedKeys.get(key);
    if (quotedKey === undefined) {
      quotedKey = `${quote(key)}:`;
      if (quotedKeys.size < MAX_CACHED_KEYS) quotedKeys.set(key, quotedKey);
    }
    writer.out += quotedKey;
    write(writer, member);
  }
  writer.out += '}';
}

/**
 * The object's keys by UTF-16 code units, as Array.prototype.sort orders strings. An event's objects have a few keys:
 * sorted in place by insertion, about a quarter of the time of `sort()`, which copies the array first.
 */
function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}

function quote(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  if (!text.isWellFormed()) throw new TypeError('a lone surrogate cannot be hashed as JSON');
  return JSON.stringify(text);
}
