import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, createServer, request, type Server } from 'node:http';

import { gracefulHttpStop, type HttpStop } from './graceful-stop.js';

interface Reply {
  readonly status?: number;
  readonly connection?: string;
  readonly retryAfter?: string;
  readonly body?: string;
  readonly error?: string;
}

function get(port: number, path: string, agent: Agent | false = false): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** A server whose `/slow` requests wait until the test releases them; `/fast` answers at once. */
async function serve(): Promise<{ server: Server; stop: HttpStop; port: number; release: () => void; slowArrived: Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer();
  const stop = gracefulHttpStop(server);
  server.on('request', (req, res) => {
    stop.refuseNewWork(req, res, () => {
      if (req.url === '/slow') {
        arrived();
        void released.then(() => res.end('slow done'));
      } else if (req.url === '/never') {
        arrived();
      } else {
        res.end('fast done');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, stop, port: (server.address() as { port: number }).port, release, slowArrived };
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((fn) => fn());
  cleanup = [];
});

describe('graceful HTTP stop', () => {
  it('finishes the request in flight, answers a late connection 503, then refuses connections', async () => {
    const { server, stop, port, release, slowArrived } = await serve();
    cleanup.push(() => server.closeAllConnections());
    const slow = get(port, '/slow');
    await slowArrived;
    const stopped = stop.stop(60_000);
    const late = await get(port, '/fast');
    expect(late).toMatchObject({ status: 503, retryAfter: '1', connection: 'close' });
    expect(JSON.parse(late.body!)).toMatchObject({ error: { code: 'unavailable' } });
    release();
    expect(await slow).toMatchObject({ status: 200, body: 'slow done', connection: 'close' });
    expect(await stopped).toEqual({ unfinished: 0 });
    expect((await get(port, '/fast')).error).toBe('ECONNREFUSED');
  });

  it('closes an idle keep-alive connection instead of waiting for the timeout', async () => {
    const { server, stop, port } = await serve();
    cleanup.push(() => server.closeAllConnections());
    const agent = new Agent({ keepAlive: true });
    cleanup.push(() => agent.destroy());
    expect(await get(port, '/fast', agent)).toMatchObject({ status: 200, connection: 'keep-alive' });
    // With a 60 s bound, only closing the idle connection lets this resolve within the test's timeout.
    expect(await stop.stop(60_000)).toEqual({ unfinished: 0 });
  });

  it('after the bound, closes a request that never finishes and says so', async () => {
    const { stop, port, slowArrived } = await serve();
    const never = get(port, '/never');
    await slowArrived;
    expect(await stop.stop(200)).toEqual({ unfinished: 1 });
    expect((await never).error).toMatch(/ECONNRESET|socket hang up/);
  });

  it('stop() twice is one stop', async () => {
    const { stop } = await serve();
    const first = stop.stop(1_000);
    expect(stop.stop(1_000)).toBe(first);
    expect(await first).toEqual({ unfinished: 0 });
  });
});
