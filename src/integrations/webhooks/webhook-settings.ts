import { ConfigError } from '../../platform/config/config.js';

export const WEBHOOK_SETTINGS = Symbol('WebhookSettings');

/** How deliveries are sent and retried (API.md: 10 s timeout, backoff starting under 10 s, for 24 h). */
export interface WebhookSettings {
  /** A receiver that has not answered within this is a failed attempt. */
  readonly timeoutMs: number;
  /** The first retry waits between half of this and this (jitter), doubling after each failure... */
  readonly firstRetryMs: number;
  /** ...up to this. */
  readonly maxRetryMs: number;
  /** A delivery still failing this long after its first attempt is `dead`. */
  readonly retryWindowMs: number;
  /** Requests in flight at once, over all webhooks, and per webhook. */
  readonly concurrency: number;
  readonly concurrencyPerWebhook: number;
}

const DEFAULTS: WebhookSettings = {
  timeoutMs: 10_000,
  firstRetryMs: 5_000,
  maxRetryMs: 3_600_000,
  retryWindowMs: 24 * 3_600_000,
  concurrency: 16,
  concurrencyPerWebhook: 4,
};

/**
 * The defaults above; two variables exist for tests only, so that a day of retries fits in seconds:
 * `JXC_WEBHOOK_BACKOFF_SCALE` (a factor > 0 applied to every retry wait and to the 24 h window) and
 * `JXC_WEBHOOK_TIMEOUT_MS` (the receiver timeout). Production leaves both unset.
 */
export function webhookSettingsFrom(env: NodeJS.ProcessEnv): WebhookSettings {
  const scale = positiveNumber('JXC_WEBHOOK_BACKOFF_SCALE', env.JXC_WEBHOOK_BACKOFF_SCALE) ?? 1;
  const timeoutMs = positiveNumber('JXC_WEBHOOK_TIMEOUT_MS', env.JXC_WEBHOOK_TIMEOUT_MS) ?? DEFAULTS.timeoutMs;
  return {
    ...DEFAULTS,
    timeoutMs: Math.ceil(timeoutMs),
    firstRetryMs: DEFAULTS.firstRetryMs * scale,
    maxRetryMs: DEFAULTS.maxRetryMs * scale,
    retryWindowMs: DEFAULTS.retryWindowMs * scale,
  };
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new ConfigError(`${name} must be a number above 0 (tests only), got ${JSON.stringify(value)}`);
  return parsed;
}

/** The wait before the next attempt after `attempts` failed ones: capped exponential, with jitter (half to all of it). */
export function retryDelayMs(settings: WebhookSettings, attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxRetryMs, settings.firstRetryMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
