import { request } from 'node:http';

import { type ServiceProcess, startService } from './service-process.js';

export interface Answer {
  readonly status: number;
  /** Which of the JXC_WORKERS processes answered (X-Jxc-Worker). */
  readonly worker: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One HTTP request on a connection of its own (no keep-alive pool): the primary hands each connection to the next
 * worker in turn, so consecutive requests are served by different processes, as a client behind a proxy would be.
 */
export function httpCall(url: string, key: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
  const target = new URL(`${url}${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        agent: false,
        headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown>;
          try {
            parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            parsed = { text };
          }
          resolve({ status: res.statusCode ?? 0, worker: res.headers['x-jxc-worker'] as string | undefined, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A request handed to a process killed meanwhile must fail, not hang the caller's `eventually` loop.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface ClusterHealth {
  readonly workers: number;
  readonly worker: number | null;
  readonly leader: boolean;
  readonly leaderId: string | null;
  readonly leaseExpiresAt: string | null;
  readonly leaseGeneration: number;
}

export async function clusterHealth(url: string): Promise<ClusterHealth> {
  const answer = await httpCall(url, undefined, 'GET', '/health');
  return answer.body.cluster as ClusterHealth;
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes (then throws with `what`). */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  let last: unknown;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** `dataDir` served by JXC_WORKERS=`workers` processes, resolved once every one of them answers. */
export async function startWorkers(dataDir: string, adminKey: string, workers = 2, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = await startService(dataDir, adminKey, { ...extraEnv, JXC_WORKERS: String(workers) });
  await eventually(`all ${workers} processes answering`, 60_000, async () => {
    const seen = new Set((await Promise.all(Array.from({ length: 2 * workers }, () => httpCall(service.url, undefined, 'GET', '/health')))).map((answer) => answer.worker));
    return seen.size >= workers ? true : undefined;
  });
  return service;
}

/** The process id in a lease holder id (`host:pid:tag`). */
export function pidOf(holderId: string): number {
  return Number(holderId.split(':').at(-2));
}
