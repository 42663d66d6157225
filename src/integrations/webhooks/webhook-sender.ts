import { feedItemOf } from '../feed/feed-item.js';
import { type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { type PersonalDataVault } from '../../platform/personal-data/personal-data-vault.js';
import { signatureOf } from './signature.js';
import { type WebhookRegistration } from './webhook.aggregate.js';

export interface AttemptResult {
  readonly ok: boolean;
  /** The receiver's HTTP status; null when it did not answer. */
  readonly status: number | null;
  readonly error: string | null;
}

/**
 * One POST of an event to a webhook: the feed item as the body (personal data opened now, from the sealed
 * event: an erased party's fields go out as null), signed with the webhook's secret. 2xx is success;
 * anything else, a redirect, a timeout or a connection failure is a failed attempt.
 */
export async function postEvent(
  hook: WebhookRegistration,
  event: RecordedEvent,
  vault: PersonalDataVault,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<AttemptResult> {
  const body = JSON.stringify(await vault.disclose(feedItemOf(event), 'reveal'));
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'jxc-webhooks',
    'X-Jxc-Event-Id': event.eventId,
    'X-Jxc-Timestamp': String(timestamp),
    'X-Jxc-Signature': signatureOf(hook.secret, timestamp, body),
    'X-Jxc-Webhook-Id': hook.webhookId,
  };
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(hook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([timeout, stop]) });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
    return { ok: false, status: response.status, error: `the receiver answered ${response.status}` };
  } catch (error) {
    if (timeout.aborted) return { ok: false, status: null, error: `no answer within ${timeoutMs} ms` };
    if (stop.aborted) throw error;
    return { ok: false, status: null, error: `could not reach the receiver: ${reasonOf(error)}` };
  }
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}
