import { type AuditVerification, type UnreadableEvent, verifyAuditChains } from '../../platform/projection-runner/audit-verification.js';
import { eventDistance } from '../../platform/projection-runner/event-distance.js';
import { type ChainBreak } from '../../platform/write-model/hash-chain.js';
import { EXIT } from '../cli-error.js';
import { type Output } from '../output.js';
import { progressBar, rateLine } from '../progress.js';
import { type Stores } from '../stores.js';

const REASONS: Record<(ChainBreak | UnreadableEvent)['reason'], string> = {
  hash_mismatch: "the event's content does not match its recorded hash: it was altered",
  prev_hash_mismatch: "the event does not link to the previous event's hash: an event was removed or reordered, or a hash altered",
  revision_gap: 'a revision is missing before it',
  unreadable: 'the log could not be read from here',
};

/** `jxc audit verify`: recomputes every stream's hash chain (the same verifier as GET /api/audit/verify). */
export async function verifyAudit(stores: Stores, io: Output, options: { progress: boolean; json: boolean }): Promise<number> {
  const bar = options.progress ? progressBar('audit', eventDistance(stores.events, undefined, await stores.events.headPosition())) : undefined;
  const started = performance.now();
  let result: AuditVerification;
  try {
    result = await verifyAuditChains(stores.events, (checked) => bar?.update(checked));
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  if (options.json) {
    io.out(JSON.stringify(result));
  } else {
    for (const broken of result.breaks) io.out(`BROKEN ${formatBreak(broken)}`);
    io.out(
      result.ok
        ? `ok: every hash chain holds; ${rateLine(result.eventsChecked, seconds)}, ${result.streamsChecked} streams`
        : `not ok: ${result.breaks.length} broken stream${result.breaks.length === 1 ? '' : 's'} of ${result.streamsChecked}; ${rateLine(result.eventsChecked, seconds)}`,
    );
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** `stream order-SO-1 revision 3 (position 57): hash_mismatch: ...` */
export function formatBreak(broken: ChainBreak | UnreadableEvent): string {
  if (broken.reason === 'unreadable') {
    return `log after position ${broken.after ?? '(start)'}: unreadable: ${REASONS.unreadable}: ${(broken as UnreadableEvent).detail}`;
  }
  return `stream ${broken.streamId} revision ${broken.revision} (position ${broken.position}): ${broken.reason}: ${REASONS[broken.reason]}`;
}
