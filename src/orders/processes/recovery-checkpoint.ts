/**
 * The checkpoint rule of the process recovery: the stored checkpoint is the last position every event
 * up to which has had its processes run (`attemptedUpTo`), but it never passes a due process's hold
 * (the position before the first event that asked for it), so that a restart takes that process up
 * again; and it never moves back. Undefined: nothing to store now.
 */
export function nextCheckpoint(
  attemptedUpTo: string | undefined,
  holds: Iterable<string | undefined>,
  stored: string | undefined,
  compare: (a: string, b: string) => number,
): string | undefined {
  let safe = attemptedUpTo;
  if (safe === undefined) return undefined;
  for (const hold of holds) {
    // A process due since the start of the log holds the checkpoint where it is.
    if (hold === undefined) return undefined;
    if (compare(hold, safe) < 0) safe = hold;
  }
  if (stored !== undefined && compare(safe, stored) <= 0) return undefined;
  return safe;
}
