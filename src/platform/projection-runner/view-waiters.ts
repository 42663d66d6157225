/**
 * Callers waiting for a view to apply a position (read-your-writes): `wait` resolves true once
 * `reached(view, position)` holds at a `wake`, false after the timeout or at `cancelAll`.
 */
export class ViewWaiters {
  private readonly waiters = new Map<string, Set<{ position: string; resolve: (reached: boolean) => void }>>();

  constructor(private readonly reached: (view: string, position: string) => boolean) {}

  wait(view: string, position: string, timeoutMs: number): Promise<boolean> {
    if (this.reached(view, position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiting = this.waiters.get(view) ?? new Set();
      this.waiters.set(view, waiting);
      const waiter = {
        position,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          waiting.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      timer.unref();
      waiting.add(waiter);
    });
  }

  /** Resolves every waiter whose position its view has now applied. */
  wake(): void {
    for (const [view, waiting] of this.waiters) {
      for (const waiter of [...waiting]) if (this.reached(view, waiter.position)) waiter.resolve(true);
    }
  }

  /** Resolves every waiter false (the runner stops). */
  cancelAll(): void {
    for (const [, waiting] of this.waiters) for (const waiter of [...waiting]) waiter.resolve(false);
    this.waiters.clear();
  }
}
