import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';

import { ConfigError } from '../../platform/config/config.js';
import { signatureOf } from './signature.js';
import { retryDelayMs, webhookSettingsFrom } from './webhook-settings.js';
import { logOrderOf } from './webhook-views.js';

const HOUR = 3_600_000;

describe('webhook retries', () => {
  const settings = webhookSettingsFrom({});

  it('time out after 10 s and retry for 24 h by default', () => {
    expect(settings).toMatchObject({ timeoutMs: 10_000, retryWindowMs: 24 * HOUR });
  });

  it('wait under 10 s first, double after each failure, and never more than an hour', () => {
    for (const random of [0, 0.5, 0.999]) {
      const waits = Array.from({ length: 40 }, (_, i) => retryDelayMs(settings, i + 1, () => random));
      expect(waits[0]).toBeLessThan(10_000);
      expect(waits[0]).toBeGreaterThanOrEqual(2_500);
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]);
      expect(Math.max(...waits)).toBeLessThanOrEqual(HOUR);
      expect(waits[39]).toBeGreaterThanOrEqual(HOUR / 2);
    }
  });

  it('spread retries (jitter): the same attempt waits between half and all of its ceiling', () => {
    expect(retryDelayMs(settings, 3, () => 0)).toBe(10_000);
    expect(retryDelayMs(settings, 3, () => 1)).toBe(20_000);
  });

  it('make about 30 attempts in the 24 h before a delivery is dead', () => {
    let elapsed = 0;
    let attempts = 1;
    while (elapsed < settings.retryWindowMs) elapsed += retryDelayMs(settings, attempts++, () => 1);
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(40);
  });

  it('shrink waits and the window together for tests (JXC_WEBHOOK_BACKOFF_SCALE), the timeout alone (JXC_WEBHOOK_TIMEOUT_MS)', () => {
    const fast = webhookSettingsFrom({ JXC_WEBHOOK_BACKOFF_SCALE: '0.001', JXC_WEBHOOK_TIMEOUT_MS: '250' });
    expect(fast).toMatchObject({ timeoutMs: 250, firstRetryMs: 5, maxRetryMs: 3_600, retryWindowMs: 86_400 });
    expect(() => webhookSettingsFrom({ JXC_WEBHOOK_BACKOFF_SCALE: '0' })).toThrow(ConfigError);
    expect(() => webhookSettingsFrom({ JXC_WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(/JXC_WEBHOOK_TIMEOUT_MS/);
  });
});

describe('X-Jxc-Signature', () => {
  it('is sha256= and the hex HMAC-SHA256 of "timestamp.body" under the secret', () => {
    const body = '{"eventId":"e1","data":{"name":"王芳"}}';
    const expected = createHmac('sha256', 'secret-0123456789').update(Buffer.from(`1767225600.${body}`, 'utf8')).digest('hex');
    expect(signatureOf('secret-0123456789', 1767225600, body)).toBe(`sha256=${expected}`);
    expect(signatureOf('secret-0123456789', 1767225601, body)).not.toBe(`sha256=${expected}`);
  });
});

describe('log order of delivery documents', () => {
  it('sorts embedded and EventStoreDB positions as strings in log order', () => {
    const embedded = ['9', '10', '100', '2'].map(logOrderOf).sort();
    expect(embedded).toEqual(['2', '9', '10', '100'].map(logOrderOf));
    const esdb = ['10/10', '9/9', '10/2'].map(logOrderOf).sort();
    expect(esdb).toEqual(['9/9', '10/2', '10/10'].map(logOrderOf));
  });
});
