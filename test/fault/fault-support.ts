import { type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { PROCESS_ACTOR } from '../../src/orders/processes/order-process-runner.js';

/** What the client got: `status` 0 when the connection failed (no answer at all). */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: { code?: string; message?: string } };
  readonly retryAfter: string | undefined;
}

export type CommandKind = 'place' | 'pay' | 'request' | 'approve';

/** One keyed command as a client sends it, and every answer it got (one per attempt). */
export interface KeyedCommand {
  /** Idempotency-Key and X-Correlation-Id both: the events the command appends carry it as correlationId. */
  readonly id: string;
  readonly kind: CommandKind;
  readonly orderId: string;
  /** The caller's API key. */
  readonly apiKey: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly answers: Answer[];
}

/** Sends one POST with the command's key and correlation id. */
export type Transport = (command: KeyedCommand) => Promise<Answer>;

/** The domain event that says a command was applied (idempotency records and process steps aside). */
const APPLIED_BY: Readonly<Record<CommandKind, string>> = {
  place: 'OrderPlaced',
  pay: 'PaymentReceived',
  request: 'CancellationRequested',
  approve: 'CancellationApproved',
};

export const successStatus = (kind: CommandKind): number => (kind === 'place' ? 201 : 200);

export function keyedCommand(id: string, kind: CommandKind, orderId: string, apiKey: string, path: string, body: Record<string, unknown>): KeyedCommand {
  return { id, kind, orderId, apiKey, path, body, answers: [] };
}

export const lastAnswer = (command: KeyedCommand): Answer | undefined => command.answers[command.answers.length - 1];

/** What a client retries with the same key: no answer, a 5xx, or a conflict it is told to retry. */
const retryable = (answer: Answer): boolean => answer.status === 0 || answer.status >= 500 || answer.body.error?.code === 'concurrency_conflict';

/**
 * Sends a keyed command as a patient client does: again with the same key and body after no answer, a 5xx
 * or a 409 concurrency_conflict, up to `attempts` times, waiting Retry-After (at most `maxWaitMs`) or a
 * short backoff in between. Returns the last answer.
 */
export async function sendKeyed(transport: Transport, command: KeyedCommand, attempts: number, maxWaitMs = 200): Promise<Answer> {
  let answer: Answer = { status: 0, body: {}, retryAfter: undefined };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    answer = await transport(command);
    command.answers.push(answer);
    if (!retryable(answer)) return answer;
    const hinted = answer.retryAfter !== undefined ? Number(answer.retryAfter) * 1000 : NaN;
    await sleep(Math.min(maxWaitMs, Number.isFinite(hinted) ? hinted : 10 * attempt));
  }
  return answer;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** The events each client command appended itself (not the process steps it caused), by correlation id. */
export function eventsByCommand(log: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const byId = new Map<string, RecordedEvent[]>();
  for (const event of log) {
    const metadata = event.metadata as { correlationId?: string; actor?: { id?: string } };
    if (metadata.actor?.id === PROCESS_ACTOR.id || metadata.correlationId === undefined) continue;
    const list = byId.get(metadata.correlationId) ?? [];
    list.push(event);
    byId.set(metadata.correlationId, list);
  }
  return byId;
}

/** Whether the command's domain event is in the log. */
export function wasApplied(command: KeyedCommand, byCommand: ReadonlyMap<string, readonly RecordedEvent[]>): boolean {
  return (byCommand.get(command.id) ?? []).some((event) => event.type === APPLIED_BY[command.kind]);
}

/** Domain event types a command appended more than once (a duplicate), as `type x count`. */
export function duplicatesOf(command: KeyedCommand, byCommand: ReadonlyMap<string, readonly RecordedEvent[]>): string[] {
  const counts = new Map<string, number>();
  for (const event of byCommand.get(command.id) ?? []) {
    if (event.streamId.startsWith('idempotency-')) continue;
    const key = `${event.streamId} ${event.type}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([key, count]) => `${key} x${count}`);
}

/** A compact line for an assertion message. */
export function describeCommand(command: KeyedCommand, applied: boolean): string {
  const answers = command.answers.map((answer) => (answer.status === 0 ? 'none' : `${answer.status}${answer.body.error?.code ? ` ${answer.body.error.code}` : ''}`)).join(', ');
  return `${command.kind} ${command.orderId} (${applied ? 'applied' : 'not applied'}): ${answers}`;
}
