import { type INestApplication } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { type Role } from '../../domain/shared/context.js';
import { configureApp, httpAdapter, type LoggingOptions } from '../../src/app.js';
import { AppModule } from '../../src/app.module.js';
import { CONFIG, type Config, loadConfig } from '../../src/platform/config/config.js';
import { EVENT_STORE_ADAPTER } from '../../src/platform/event-store/event-store.module.js';
import { type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { openEventStore } from '../../src/platform/event-store/open-event-store.js';
import { PROJECTION_WORKER_MODULE } from '../../src/platform/projection-runner/projection-worker-module.js';
import { conformanceProblems, type OpenApiDocument, type RecordedResponse, recordResponses } from './openapi.js';

export const ADMIN_KEY = 'e2e-admin-key-0123456789';

export interface RunningApp {
  readonly app: INestApplication;
  readonly dataDir: string;
  readonly http: TestAgent;
  /** A new API key for a user with these roles. */
  keyFor(userId: string, ...roles: Role[]): Promise<string>;
  /** Headers for an authenticated JSON request. */
  as(key: string): Record<string, string>;
  /** Every response the application sent so far (empty when the OpenAPI check is off). */
  readonly responses: readonly RecordedResponse[];
  /** Closes the application; then fails if a response it sent does not match the served OpenAPI document. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Puts something in front of the real event store the configuration opens (a fault-injecting wrapper). */
  readonly wrapEventStore?: (real: EventStore) => EventStore;
  /**
   * Check every response against the served OpenAPI document when the test closes the app (default on;
   * test/support/openapi.ts). Off only for a test that makes the service answer what no client should see.
   */
  readonly openapi?: boolean;
  /** Log level and destination (a test that reads the log lines); default LOG_LEVEL, silent under jest. */
  readonly logging?: LoggingOptions;
}

/** The real application on a fresh temporary data directory (real SQLite on disk). */
export async function startApp(overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<RunningApp> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'jxc-e2e-'));
  const config: Config = { ...loadConfig({}), port: 0, dataDir, bootstrapAdminKey: ADMIN_KEY, ...overrides };
  const app = await createTestApp(config, options.wrapEventStore, options.logging);
  const responses = options.openapi === false ? [] : recordResponses(app);
  await app.init();
  // Fastify's plugins and routes are ready (supertest talks to its Node server).
  await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  const as = (key: string) => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });
  return {
    app,
    dataDir,
    http,
    as,
    responses,
    async keyFor(userId, ...roles) {
      const response = await http.post('/api/keys').set(as(ADMIN_KEY)).send({ userId, roles });
      if (response.status !== 201) throw new Error(`could not issue a key: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.key as string;
    },
    async close() {
      const document = responses.length === 0 ? undefined : ((await http.get('/api/docs-json')).body as OpenApiDocument);
      await app.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
      const problems = document === undefined ? [] : conformanceProblems(document, responses);
      if (problems.length > 0) throw new Error(`responses that do not match the OpenAPI document (/api/docs-json):\n  ${problems.join('\n  ')}`);
    },
  };
}

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined, verbose: () => undefined };

/**
 * The projection worker as the build compiled it (the jest global setup runs it): a worker thread cannot
 * load the TypeScript sources jest runs, so the in-process application starts this one.
 */
const BUILT_PROJECTION_WORKER = new URL('../../dist/src/platform/projection-runner/projection-worker.js', import.meta.url);

/**
 * The application as createApp builds it (Nest's testing module, so that providers can be overridden):
 * the built projection worker, and the event store adapter wrapped when `wrap` is given.
 */
async function createTestApp(config: Config, wrap?: (real: EventStore) => EventStore, logging: LoggingOptions = {}): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .setLogger(silent)
    .overrideProvider(PROJECTION_WORKER_MODULE)
    .useValue(BUILT_PROJECTION_WORKER);
  if (wrap) {
    builder = builder.overrideProvider(EVENT_STORE_ADAPTER).useFactory({ inject: [CONFIG], factory: async (given: Config) => wrap(await openEventStore(given)) });
  }
  const moduleRef = await builder.compile();
  return configureApp(moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(), { logger: false }), logging);
}
