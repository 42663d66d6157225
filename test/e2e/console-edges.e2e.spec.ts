import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type RunningApp, startApp } from '../support/e2e.js';

describe('security headers the web console needs, on plain HTTP', () => {
  let jxc: RunningApp;
  beforeAll(async () => {
    jxc = await startApp();
  });
  afterAll(async () => {
    await jxc.close();
  });

  it('allows the console\'s own scripts and antd\'s inline styles from the same origin only, and does not upgrade its requests to an https:// nobody serves', async () => {
    const csp = (await jxc.http.get('/api/health/live').expect(200)).headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});
