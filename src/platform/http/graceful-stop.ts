import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

export interface HttpStop {
  /**
   * Finishes every request the service had taken when the stop began, refuses new work, and resolves
   * when every connection is gone, or after `timeoutMs` by closing what remains. Resolves with how many
   * requests were cut by the timeout.
   */
  stop(timeoutMs: number): Promise<{ readonly unfinished: number }>;
  /** Connect-style middleware (app.use, run by @fastify/middie on the Node request and response): a request on a connection accepted after the stop began gets 503 unavailable. */
  refuseNewWork(request: IncomingMessage, response: ServerResponse, next: () => void): void;
}

interface Connection {
  /** Accepted after the stop began: its requests are refused with 503. */
  readonly late: boolean;
  readonly acceptedAt: number;
  /** Requests received on it and not answered yet. */
  active: number;
  /** Requests answered on it. */
  served: number;
  /** socket.bytesRead when it last had nothing in flight: more bytes since then are a request on its way. */
  readAtRest: number;
}

/** How long a connection that never sent a request may still send one after the stop began. */
const FRESH_CONNECTION_GRACE_MS = 1_000;
const SWEEP_EVERY_MS = 50;

/**
 * Graceful stop of a Node HTTP server; written here because the usual helpers (http.Server#close(),
 * stoppable, http-terminator) close the listener at once, and that resets connections a client opened
 * before the signal: libuv (1.46, Node 20) accepts one connection per turn of the event loop, so under
 * load, connections wait in the kernel's accept queue for seconds, their requests already sent.
 *
 * So the listener stays open until the requests taken before the stop are answered and the queue is
 * empty (a turn of the loop accepts nothing); a request on a connection accepted after the stop began is
 * answered at once with 503 unavailable and Retry-After (it may have been queued before the signal: a
 * complete, retryable answer, nothing done). Every answer after the stop says `Connection: close`; an
 * idle connection is closed when nothing is in flight on it and no byte arrived since its last answer
 * (checked one loop turn later, so buffered data has been read); one that never sent anything gets a
 * second of grace (from its accept, or from the stop). After `timeoutMs`, whatever remains is closed.
 * Call it before the server takes connections.
 */
export function gracefulHttpStop(server: Server): HttpStop {
  const state: StopState = { server, connections: new Map(), inFlight: new Set(), stopping: false, accepted: 0 };
  trackConnections(state);
  let stopped: Promise<{ unfinished: number }> | undefined;
  return {
    refuseNewWork(request, response, next) {
      if (!state.stopping || !state.connections.get(request.socket)?.late) return next();
      response.statusCode = 503;
      response.setHeader('Retry-After', '1');
      response.setHeader('Connection', 'close');
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.end(JSON.stringify({ error: { code: 'unavailable', message: 'the service is stopping; retry shortly', details: {} } }));
    },
    stop(timeoutMs) {
      stopped ??= drain(state, timeoutMs);
      return stopped;
    },
  };
}

/** What gracefulHttpStop knows of its server: the open connections and the requests not yet answered. */
interface StopState {
  readonly server: Server;
  readonly connections: Map<Socket, Connection>;
  /** Requests taken on connections accepted before the stop, not answered yet. */
  readonly inFlight: Set<ServerResponse>;
  stopping: boolean;
  /** Connections accepted so far: a turn of the loop that accepts none means the accept queue is empty. */
  accepted: number;
}

function closeAfterAnswer(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}

function trackConnections(state: StopState): void {
  const { server, connections, inFlight } = state;
  server.on('connection', (socket: Socket) => {
    state.accepted++;
    connections.set(socket, { late: state.stopping, acceptedAt: Date.now(), active: 0, served: 0, readAtRest: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket);
    if (connection) connection.active++;
    if (!connection?.late) inFlight.add(response);
    if (state.stopping) closeAfterAnswer(response);
    response.once('close', () => {
      inFlight.delete(response);
      if (!connection) return;
      connection.active--;
      connection.served++;
      connection.readAtRest = request.socket.bytesRead;
    });
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * net.Server#close: stops listening, leaves open connections alone (http.Server#close would also
 * destroy those whose request the parser has not started).
 */
function closeListener(server: Server): Promise<void> {
  return new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
}

/** Closes each connection with nothing in flight and no byte arrived since its last answer, unless still fresh. */
function closeIdleConnections({ connections }: StopState, startedAt: number): void {
  for (const [socket, connection] of connections) {
    const idle = connection.active === 0 && socket.bytesRead === connection.readAtRest;
    const fresh = connection.served === 0 && Date.now() - Math.max(connection.acceptedAt, startedAt) < FRESH_CONNECTION_GRACE_MS;
    if (idle && !fresh) socket.destroy();
  }
}

async function drain(state: StopState, timeoutMs: number): Promise<{ unfinished: number }> {
  const { server, connections, inFlight } = state;
  const startedAt = Date.now();
  state.stopping = true;
  inFlight.forEach(closeAfterAnswer);
  let listenerClosed: Promise<void> | undefined;
  let quietTurns = 0;
  while ((!listenerClosed || connections.size > 0) && Date.now() - startedAt < timeoutMs) {
    const before = state.accepted;
    await nextTurn();
    quietTurns = state.accepted === before ? quietTurns + 1 : 0;
    if (!listenerClosed && inFlight.size === 0 && quietTurns >= 2) listenerClosed = closeListener(server);
    closeIdleConnections(state, startedAt);
    if (!listenerClosed || connections.size > 0) await sleep(SWEEP_EVERY_MS);
  }
  const unfinished = inFlight.size;
  for (const socket of connections.keys()) socket.destroy();
  listenerClosed ??= closeListener(server);
  await listenerClosed;
  return { unfinished };
}
