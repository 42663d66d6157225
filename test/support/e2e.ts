import { type INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { type Role } from '../../domain/shared/context.js';
import { createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';

export const ADMIN_KEY = 'e2e-admin-key-0123456789';

export interface RunningApp {
  readonly app: INestApplication;
  readonly dataDir: string;
  readonly http: TestAgent;
  /** A new API key for a user with these roles. */
  keyFor(userId: string, ...roles: Role[]): Promise<string>;
  /** Headers for an authenticated JSON request. */
  as(key: string): Record<string, string>;
  close(): Promise<void>;
}

/** The real application on a fresh temporary data directory (real SQLite on disk). */
export async function startApp(overrides: Partial<Config> = {}): Promise<RunningApp> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'jxc-e2e-'));
  const config: Config = { ...loadConfig({}), port: 0, dataDir, bootstrapAdminKey: ADMIN_KEY, ...overrides };
  const app = await createApp(config, { logger: false });
  await app.init();
  const http = request(app.getHttpServer());
  const as = (key: string) => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });
  return {
    app,
    dataDir,
    http,
    as,
    async keyFor(userId, ...roles) {
      const response = await http.post('/api/keys').set(as(ADMIN_KEY)).send({ userId, roles });
      if (response.status !== 201) throw new Error(`could not issue a key: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.key as string;
    },
    async close() {
      await app.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
