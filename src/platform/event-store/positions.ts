/**
 * Positions of the embedded store: the decimal global sequence number, as a string. Canonical ones (no leading
 * zero, as the store writes them) order by length, then character by character, with no number made (the
 * projection runners compare every event's position, several times); any other string is compared by value.
 */
export function compareSequencePositions(a: string, b: string): number {
  if (isCanonical(a) && isCanonical(b)) {
    if (a.length !== b.length) return a.length < b.length ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Digits only, and no leading zero unless it is `0` itself (as the store writes positions). */
function isCanonical(value: string): boolean {
  const length = value.length;
  if (length === 0 || (length > 1 && value.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

export function isSequencePosition(value: string): boolean {
  return /^(0|[1-9][0-9]{0,18})$/.test(value);
}
