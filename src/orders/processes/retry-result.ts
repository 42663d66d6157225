import { type ProcessOutcome } from './order-process-runner.js';
import { type Due, shortError } from './stalled-processes.js';

/** What `POST /api/processes/:orderId/retry` answers. */
export interface RetryResult {
  readonly orderId: string;
  /** `settled`: the order's process has nothing left to do; `stalled`: a step still fails (retried automatically). */
  readonly outcome: 'settled' | 'stalled';
  /** Steps this run appended (settled), else null. */
  readonly steps: number | null;
  readonly step: string | null;
  readonly streamId: string | null;
  readonly error: string | null;
  readonly attempts: number | null;
  readonly nextAttemptAt: string | null;
}

/** The answer for a manual retry's run; `entry`: the order's stall after it, if any. */
export function retryResultOf(orderId: string, outcome: ProcessOutcome<{ steps: number }>, entry: Readonly<Due> | undefined): RetryResult {
  if (outcome.settled) {
    return { orderId, outcome: 'settled', steps: outcome.run.steps, step: null, streamId: null, error: null, attempts: null, nextAttemptAt: null };
  }
  return {
    orderId,
    outcome: 'stalled',
    steps: null,
    step: outcome.step?.command ?? null,
    streamId: outcome.step?.streamId ?? null,
    error: shortError(outcome.error),
    attempts: entry?.attempts ?? null,
    nextAttemptAt: entry ? new Date(entry.nextAttemptAt).toISOString() : null,
  };
}
