import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One request a webhook receiver got, as it came in. */
export interface Received {
  readonly path: string;
  readonly eventId: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  /** What the receiver answered (null: it never answered). */
  answered: number | null;
}

/** What the receiver does with a request: answer this status, or `hang` (never answer). */
export type Behaviour = number | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1, as an integrator would run one: it records every request and answers as
 * `behaviour` says (per request: the test decides failures, timeouts and recovery).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  behaviour: (request: Received) => Behaviour = () => 200;
  /** Requests open at once (taken in, not yet answered or closed): now, and the most so far. */
  open = 0;
  maxOpen = 0;
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests answered 2xx, first receipt of each event id, in arrival order. */
  delivered(path?: string): Received[] {
    const seen = new Set<string>();
    return this.received.filter((item) => {
      if ((path !== undefined && item.path !== path) || item.answered === null || item.answered < 200 || item.answered > 299 || seen.has(item.eventId)) return false;
      seen.add(item.eventId);
      return true;
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    response.on('close', () => this.open--);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const header = (name: string) => String(request.headers[name] ?? '');
    const item: Received = {
      path: request.url ?? '/',
      eventId: header('x-jxc-event-id'),
      timestamp: header('x-jxc-timestamp'),
      signature: header('x-jxc-signature'),
      body: Buffer.concat(chunks).toString('utf8'),
      answered: null,
    };
    this.received.push(item);
    const behaviour = this.behaviour(item);
    if (behaviour === 'hang') {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      return;
    }
    item.answered = behaviour;
    response.writeHead(behaviour, { 'Content-Type': 'text/plain' }).end(behaviour < 300 ? 'ok' : 'no');
  }
}

/** What a receiver does with the secret: recompute the signature over `timestamp.body` and compare in constant time. */
export function signatureHolds(secret: string, received: Pick<Received, 'timestamp' | 'signature' | 'body'>): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${received.timestamp}.${received.body}`).digest('hex')}`);
  const given = Buffer.from(received.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
