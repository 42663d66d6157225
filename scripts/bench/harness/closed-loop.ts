export interface ClosedLoopResult {
  /** Completed operations per second of the measured window. */
  readonly rate: number;
  readonly completed: number;
  readonly failed: number;
  /** Up to five distinct failure messages. */
  readonly failures: readonly string[];
}

/**
 * `callers` concurrent loops, each awaiting `operation` and calling it again (a closed loop, like
 * request handlers under load) for `seconds`. Operations still in flight at the deadline finish and
 * count; the window ends when the last one does. Call it once untimed first to warm up.
 */
export async function closedLoop(callers: number, seconds: number, operation: () => Promise<unknown>): Promise<ClosedLoopResult> {
  let completed = 0;
  let failed = 0;
  const failures = new Set<string>();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline) {
      try {
        await operation();
        completed++;
      } catch (error) {
        failed++;
        if (failures.size < 5) failures.add(error instanceof Error ? error.message.split('\n')[0] : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const elapsed = (performance.now() - started) / 1000;
  return { rate: completed / elapsed, completed, failed, failures: [...failures] };
}
