import { type LoggerService } from '@nestjs/common';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type DestinationStream, type Level, type Logger, type LevelWithSilent, pino } from 'pino';
import { pinoHttp } from 'pino-http';

import { ConfigError } from '../config/config.js';
import { type RawJxcRequest } from '../http/request-context.js';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * `LOG_LEVEL` (fatal, error, warn, info, debug, trace, silent); default `info`, and `silent` under jest
 * (NODE_ENV=test) so that the tests that start the application stay quiet.
 */
export function logLevelFrom(env: NodeJS.ProcessEnv): LevelWithSilent {
  const given = env.LOG_LEVEL?.trim().toLowerCase();
  if (given === undefined || given === '') return env.NODE_ENV === 'test' ? 'silent' : 'info';
  if (!(LEVELS as readonly string[]).includes(given)) throw new ConfigError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  return given as LevelWithSilent;
}

export interface LogOptions {
  readonly level: LevelWithSilent;
  /** Where the JSON lines go (a test's capture); default stdout, pretty-printed (pino-pretty) when stdout is a TTY. */
  readonly destination?: DestinationStream;
}

/**
 * Header values that must never reach a log line, should anyone log a request object: the API key
 * (Authorization), cookies. The request lines below carry no headers at all; this is the second fence.
 */
const REDACTED = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'headers.authorization', 'headers.cookie', 'headers["x-api-key"]'];

/** The service's one pino logger: JSON lines (level, time, msg, fields), keys and cookies redacted. */
export function createLogger({ level, destination }: LogOptions): Logger {
  const options = { level, base: { service: 'jxc' }, redact: { paths: REDACTED, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname,service' } } });
  return pino(options);
}

/** The route pattern of an answered request (`/api/orders/:id`), never its concrete path; `unmatched` when no route took it. */
export function routeOf(request: IncomingMessage): string {
  return (request as RawJxcRequest).jxcRoute ?? 'unmatched';
}

/**
 * One line per request when its response is finished or aborted (pino-http): method, route pattern, status,
 * duration in ms, correlation id (X-Correlation-Id, request-context.ts) and the caller's user id. No headers,
 * no query string, no body: nothing of the key or of personal data. 5xx answers are logged at error level
 * (the exception filter logs the error itself, with its stack); the rest at info.
 */
export function requestLogging(logger: Logger): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return pinoHttp({
    logger,
    // The response line is written from the base logger, with the fields below only (no serialized req/res).
    quietResLogger: true,
    serializers: { req: (request: { method?: string }) => ({ method: request.method }) },
    // The serializer above reads the raw request: unwrapped, pino-http does not first build pino's full request
    // object (every header) for each request only to drop it (about a sixth of its time on a place-order).
    wrapSerializers: false,
    customLogLevel: (_request, response, error) => (error !== undefined || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (request, response) => `${request.method} ${routeOf(request)} ${response.statusCode}`,
    customErrorMessage: (request, response) => `${request.method} ${routeOf(request)} ${response.statusCode}`,
    customSuccessObject: (request, response, value: { responseTime: number }) => requestLine(request, response, value.responseTime),
    customErrorObject: (request, response, _error, value: { responseTime: number }) => requestLine(request, response, value.responseTime),
  }) as unknown as (request: IncomingMessage, response: ServerResponse, next: () => void) => void;
}

function requestLine(request: IncomingMessage, response: ServerResponse, durationMs: number): Record<string, unknown> {
  const jxc = request as RawJxcRequest;
  return {
    method: request.method,
    route: routeOf(request),
    status: response.statusCode,
    durationMs,
    correlationId: jxc.jxc?.correlationId,
    userId: jxc.actor?.id,
  };
}

const NEST_LEVELS: Record<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal', Level> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's Logger (every `new Logger('name')` in the services, and Nest's own messages) written through pino:
 * `app.useLogger(new PinoNestLogger(logger))`. Nest passes the logger's name last; `error` may carry a stack
 * before it. An object message is written as fields.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(method: keyof typeof NEST_LEVELS, message: unknown, params: unknown[]): void {
    const level = NEST_LEVELS[method];
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' && (method !== 'error' || rest.length > 1) ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    const stack = rest.find((param): param is string => typeof param === 'string');
    if (stack !== undefined) fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { message: text, ...other } = message as Record<string, unknown>;
      this.logger[level]({ ...fields, ...other }, typeof text === 'string' ? text : '');
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
