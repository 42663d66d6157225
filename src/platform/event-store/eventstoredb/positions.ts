/**
 * Global positions of the EventStoreDB adapter (docs/architecture.md "Positions and revisions").
 *
 * An EventStoreDB position in `$all` is a pair of unsigned 64-bit integers (commit, prepare). At the port it
 * is the string `${commit}/${prepare}` in plain decimal (no sign, no leading zeros), so nothing is lost to
 * `Number` and the string round-trips exactly. Order is (commit, prepare) compared numerically, never as text:
 * `9/9 < 10/0`.
 */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

const MAX_U64 = (1n << 64n) - 1n;
const POSITION = /^(0|[1-9][0-9]{0,19})\/(0|[1-9][0-9]{0,19})$/;

export function encodePosition(position: LogPosition): string {
  assertU64(position.commit, 'commit');
  assertU64(position.prepare, 'prepare');
  return `${position.commit}/${position.prepare}`;
}

/** Parses a position this adapter produced; anything else (a SQLite sequence number, garbage) is a TypeError. */
export function decodePosition(value: string): LogPosition {
  const match = POSITION.exec(value);
  if (match) {
    const commit = BigInt(match[1]);
    const prepare = BigInt(match[2]);
    if (commit <= MAX_U64 && prepare <= MAX_U64) return { commit, prepare };
  }
  throw new TypeError(`not a position of this store: ${JSON.stringify(value)}`);
}

export function isEventStoreDbPosition(value: string): boolean {
  try {
    decodePosition(value);
    return true;
  } catch {
    return false;
  }
}

/** Negative when a < b, 0 when equal, positive when a > b; (commit, prepare) as numbers. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function comparePositions(a: string, b: string): number {
  return compareLogPositions(decodePosition(a), decodePosition(b));
}

function assertU64(value: bigint, name: string): void {
  if (value < 0n || value > MAX_U64) throw new RangeError(`${name} position out of range: ${value}`);
}
