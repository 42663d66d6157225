import { describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';


// The console's browser tests: the real service (dist/src/main.js, which serves the built console at `/`)
// on a fresh data directory, driven through Debian's Chromium by playwright-core. Without Chromium the
// suites skip with one line, as the EventStoreDB suites do without a server.

/** Debian's Chromium (`apt-get install -y chromium`); JXC_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.JXC_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

const ADMIN_KEY = 'browser-admin-key-0123456789';

/** Where the tests save a screenshot of each screen they visit (dist/ is not committed). */
const SCREENSHOTS = join(process.cwd(), 'dist/console-screenshots');

/** Browser tests take seconds each: the service starts, the console loads, a user clicks through. */
export const BROWSER_TEST_TIMEOUT = 90_000;

/** `describe` when Chromium is installed; otherwise one plain line and the suite is skipped. */
export function describeInBrowser(name: string, body: () => void): void {
  if (hasChromium) {
    describe(name, body);
  } else {
    process.stderr.write(`Browser suite "${name}" skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)\n`);
    describe(name, () => it.todo(`runs in Chromium (${CHROMIUM} is not installed in this run)`));
  }
}

// ---------------------------------------------------------------------------------------------------
// The built console

const CONSOLE_INDEX = join(process.cwd(), 'dist/console/index.html');
const WEB = join(process.cwd(), 'web');
const BUILD_LOCK = join(process.cwd(), 'dist/.console-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function consoleIsCurrent(): boolean {
  return existsSync(CONSOLE_INDEX) && statSync(CONSOLE_INDEX).mtimeMs >= newestSource(WEB);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds the console (`npm run build:console`) when dist/console/index.html is missing or older than a
 * file under web/. Suites run in parallel workers: one builds under a lock directory, the others wait
 * for it and find the build current.
 */
async function ensureConsoleBuilt(): Promise<void> {
  if (consoleIsCurrent()) return;
  mkdirSync(join(process.cwd(), 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // Another worker builds; a lock older than 5 minutes was left by a killed run.
      if (Date.now() - statSync(BUILD_LOCK, { throwIfNoEntry: false })!.mtimeMs > 300_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (waited > 300_000) throw new Error(`the console build lock ${BUILD_LOCK} was held for 5 minutes`);
      await sleep(250);
    }
  }
  try {
    // Vite refuses to start while another build of the project runs (a developer's `npm run build`):
    // wait for that one, which may well leave the console current.
    for (let waited = 0; !consoleIsCurrent(); waited += 1000) {
      const build = spawnSync('npm', ['run', '--silent', 'build:console'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const output = `${build.stdout}\n${build.stderr}`;
      if (build.status === 0 && existsSync(CONSOLE_INDEX)) return;
      if (!/another Vite build process/.test(output) || waited > 300_000) {
        throw new Error(`npm run build:console failed (exit ${build.status}):\n${output.trim().split('\n').slice(-20).join('\n')}`);
      }
      await sleep(1000);
    }
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// The API, as a test's setup uses it (the console itself is what the test exercises)

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string } },
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

export interface Api {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T>;
  put<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T>;
  /** The raw answer: status and JSON body, whatever the status. */
  send(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** The log position of the latest write the tests made through the API, to read the views at (minPosition). */
class Positions {
  latest: string | undefined;

  saw(answer: unknown): void {
    const position = (answer as { position?: unknown } | null)?.position;
    if (typeof position !== 'string') return;
    // The embedded store's positions are decimal integers; a log position of another kind replaces the last.
    if (this.latest === undefined || !/^\d+$/.test(position) || !/^\d+$/.test(this.latest) || BigInt(position) > BigInt(this.latest)) this.latest = position;
  }
}

function apiFor(url: string, key: string, positions: Positions): Api {
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };
  const ok =
    (method: string) =>
    async <T>(path: string, body?: unknown): Promise<T> => {
      const answer = await send(method, path, body);
      if (answer.status >= 300) throw new ApiError(answer.status, answer.body);
      positions.saw(answer.body);
      return answer.body as T;
    };
  return { get: ok('GET'), post: ok('POST'), put: ok('PUT'), send };
}

// ---------------------------------------------------------------------------------------------------
// The service, as `npm start` runs it

interface Service {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>/api` */
  readonly url: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * dist/src/main.js on the embedded stores in `dataDir` (MONGODB_URL and EVENTSTORE_URL removed), ready when
 * /api/health answers; if it exits or does not start, the error carries the last lines it wrote.
 */
async function startService(dataDir: string): Promise<Service> {
  const port = await freePort();
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/main.js')], {
    env: { ...env, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'warn' },
    // With an IPC channel: if this jest worker dies without stopping it, the service stops itself (stop-with-parent.ts).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.channel?.unref();
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/api`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited during start-up (${child.signalCode ?? `code ${child.exitCode}`}):\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the service did not answer /api/health within 30 s:\n${output}`);
}

function stopService(service: Service, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return resolve();
    service.child.once('exit', () => resolve());
    service.child.kill(signal);
  });
}

// ---------------------------------------------------------------------------------------------------
// One suite's service and browser

export interface ConsoleHarness {
  /** `http://127.0.0.1:<port>`: the console is at `/`, the API at `/api`. */
  readonly origin: string;
  /** The bootstrap admin's key, and the API as that admin. */
  readonly adminKey: string;
  readonly admin: Api;
  /** The API with another key. */
  api(key: string): Api;
  /** A new API key for a user with these roles. */
  keyFor(userId: string, ...roles: string[]): Promise<string>;
  /** GET as the admin, once the views have applied every write the test made through the API (minPosition). */
  view<T = Record<string, unknown>>(path: string): Promise<T>;
  /**
   * A fresh browser context (its own sessionStorage and localStorage) with the console in English unless
   * `lang` says otherwise; every request that leaves the service's origin is aborted and recorded.
   */
  newPage(options?: { lang?: 'en' | 'zh-CN' | null }): Promise<Page>;
  /** Requests the pages tried to send elsewhere than the origin (aborted, or refused by the CSP), since the suite started. */
  readonly foreignRequests: string[];
  /** Saves a screenshot of the page as dist/console-screenshots/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  /** Closes the pages, Chromium and the service, and deletes the data directory. */
  close(): Promise<void>;
}

/** Builds the console if needed, starts the service on a fresh data directory and launches Chromium. */
export async function startConsole(): Promise<ConsoleHarness> {
  await ensureConsoleBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-browser-'));
  let service: Service | undefined;
  let browser: Browser | undefined;
  try {
    service = await startService(dataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  } catch (error) {
    if (service) await stopService(service, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = { service, browser };
  const apiUrl = service.url;
  const origin = new URL(apiUrl).origin;
  const positions = new Positions();
  const admin = apiFor(apiUrl, ADMIN_KEY, positions);
  const foreignRequests: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    origin,
    adminKey: ADMIN_KEY,
    admin,
    foreignRequests,
    api: (key) => apiFor(apiUrl, key, positions),
    view: (path) => admin.get(positions.latest === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}minPosition=${encodeURIComponent(positions.latest)}`),
    async keyFor(userId, ...roles) {
      return (await admin.post<{ key: string }>('/keys', { userId, roles })).key;
    },
    async newPage({ lang = 'en' } = {}) {
      const context = await running.browser.newContext({ baseURL: origin, locale: lang === 'zh-CN' ? 'zh-CN' : 'en-US', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
        foreignRequests.push(url);
        return route.abort('blockedbyclient');
      });
      // The service's Content-Security-Policy stops most such requests in the browser before they are
      // sent: Chromium reports each one on the console, and that is an attempt to leave the origin too.
      context.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) foreignRequests.push(`blocked by CSP: ${message.text()}`);
      });
      // The tests read the English UI; a test of the language switch starts from what the browser says.
      if (lang !== null) await context.addInitScript({ content: `if (!localStorage.getItem('jxc.lang')) localStorage.setItem('jxc.lang', ${JSON.stringify(lang)});` });
      return context.newPage();
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await running.browser.close().catch(() => undefined);
      await stopService(running.service, 'SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fails the test if a page tried to reach anything but the service's own origin since the last check. */
export function expectNothingLeftTheOrigin(harness: ConsoleHarness | undefined): void {
  if (!harness) return;
  const attempts = harness.foreignRequests.splice(0);
  expect(attempts).toEqual([]);
}
