/** Positions of the embedded store: the decimal global sequence number, as a string. */
export function compareSequencePositions(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isSequencePosition(value: string): boolean {
  return /^(0|[1-9][0-9]{0,18})$/.test(value);
}
