import { type ReadStore, type ViewDefinition, type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { type FailedStep, type ProcessTrigger } from './order-process-runner.js';

/**
 * The processes that have a step due after a failure, one document per order (`order:<id>`) or
 * product (`product:<sku>`). Not a projection of events: the process recovery writes it directly
 * (each failed attempt upserts the document, the run that finishes the process deletes it), so that
 * the attempts survive a restart and another process (`jxc processes stalled`) can read the list.
 */
export const STALLED_PROCESSES_VIEW: ViewDefinition = { name: 'stalled_processes', indexes: [{ fields: [{ field: 'since', direction: 'asc' }] }] };

/** One process with a step due, as GET /api/processes/stalled and `jxc processes stalled` show it. */
export interface StalledProcess {
  readonly process: ProcessKind;
  /** The order whose process is stalled (null for a product's process). */
  readonly orderId: string | null;
  /** The product whose process is stalled (null for an order's process). */
  readonly sku: string | null;
  /** The command of the step that failed (`IssueRefund`, `ReleaseStock`...), null when reading the states failed. */
  readonly step: string | null;
  /** The stream that step appends to, when known. */
  readonly streamId: string | null;
  /** Failed attempts since the process first failed (kept across restarts). */
  readonly attempts: number;
  /** The last failure's message, without a stack. */
  readonly lastError: string;
  /** ISO time of the first failure. */
  readonly since: string;
  /** ISO time of the next automatic attempt. */
  readonly nextAttemptAt: string;
}

export interface StalledDocument extends ViewDocument, StalledProcess {
  /** The recovery checkpoint may not pass this position (the one before the event that made the step due); null: the start of the log. */
  readonly resumeAfter: string | null;
  /** The event that asked for the run, for the metadata of the steps a later attempt appends. */
  readonly correlationId: string;
  readonly causationId: string;
}

export type ProcessKind = 'order' | 'product';

export function stalledKey(process: ProcessKind, id: string): string {
  return `${process}:${id}`;
}

export function keyParts(key: string): { process: ProcessKind; id: string } {
  const colon = key.indexOf(':');
  return { process: key.slice(0, colon) as ProcessKind, id: key.slice(colon + 1) };
}

/** Where a key's run comes from in the log: the first event that asked for it, and the position before it. */
export interface Origin {
  /** The checkpoint may not pass this while the process is due; undefined: the start of the log. */
  readonly hold: string | undefined;
  readonly position: string;
}

/** A process with a step due after a failure, as the recovery keeps it in memory (due-processes.ts). */
export interface Due extends Origin {
  readonly key: string;
  readonly process: ProcessKind;
  readonly id: string;
  trigger: ProcessTrigger;
  hold: string | undefined;
  position: string;
  attempts: number;
  lastError: string;
  step: FailedStep | null;
  since: string;
  nextAttemptAt: number;
}

/** A stalled process read back from its document; its next attempt at `now`. */
export function dueOf(document: StalledDocument, now: number): Due {
  const { process, id } = keyParts(document.id);
  return {
    key: document.id,
    process,
    id,
    trigger: { correlationId: document.correlationId, causationId: document.causationId, now: '' },
    hold: document.resumeAfter ?? undefined,
    position: document.position,
    attempts: document.attempts,
    lastError: document.lastError,
    step: document.step === null ? null : { command: document.step, streamId: document.streamId ?? '' },
    since: document.since,
    nextAttemptAt: now,
  };
}

export function publicOf(entry: Due): StalledProcess {
  return {
    process: entry.process,
    orderId: entry.process === 'order' ? entry.id : null,
    sku: entry.process === 'product' ? entry.id : null,
    step: entry.step?.command ?? null,
    streamId: entry.step?.streamId || null,
    attempts: entry.attempts,
    lastError: entry.lastError,
    since: entry.since,
    nextAttemptAt: new Date(entry.nextAttemptAt).toISOString(),
  };
}

export function documentOf(entry: Due): StalledDocument {
  return {
    id: entry.key,
    position: entry.position,
    ...publicOf(entry),
    resumeAfter: entry.hold ?? null,
    correlationId: entry.trigger.correlationId,
    causationId: entry.trigger.causationId,
  };
}

/** The public fields of a document, in a fixed order. */
export function stalledOf(document: StalledDocument): StalledProcess {
  return {
    process: document.process,
    orderId: document.orderId,
    sku: document.sku,
    step: document.step,
    streamId: document.streamId,
    attempts: document.attempts,
    lastError: document.lastError,
    since: document.since,
    nextAttemptAt: document.nextAttemptAt,
  };
}

/** Every stalled process recorded in the read store, oldest first (registers the view first). */
export async function readStalledProcesses(store: ReadStore): Promise<StalledDocument[]> {
  await store.ensureView(STALLED_PROCESSES_VIEW);
  const found: StalledDocument[] = [];
  for await (const document of store.scan<StalledDocument>(STALLED_PROCESSES_VIEW.name, { sort: [{ field: 'since', direction: 'asc' }] })) found.push(document);
  return found;
}

const MAX_ERROR_LENGTH = 300;

/** A failure as one short line: `SqliteError: disk I/O error`, never a stack. */
export function shortError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  else text = String(error);
  text = text.replace(/\s+/g, ' ').trim() || 'unknown error';
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
