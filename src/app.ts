import 'reflect-metadata';

import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type DestinationStream, type LevelWithSilent } from 'pino';

import { AppModule } from './app.module.js';
import { type Config } from './platform/config/config.js';
import { serveConsole } from './platform/http/console/console.js';
import { toErrorResponse } from './platform/http/api-error.js';
import { applySecurityEdges } from './platform/http/edges/security.js';
import { readTls } from './platform/http/edges/tls.js';
import { JSON_BODY_LIMIT, registerBodyParsers } from './platform/http/json-body.js';
import { beforeFastify } from './platform/http/node-server.js';
import { decorateRequestState } from './platform/http/request-context.js';
import { RequestBodyGuard } from './platform/http/validation.js';
import { createLogger, logLevelFrom, PinoNestLogger, requestLogging } from './platform/logging/logging.js';

/** Builds the application (used by main.ts and by the end-to-end tests). Signals are main.ts's (graceful stop). */
export async function createApp(config: Config, options: { logger?: boolean } & LoggingOptions = {}): Promise<INestApplication> {
  // Read before the stores open: an unreadable certificate stops the start with one line (ConfigError).
  const httpsOptions = readTls(config.tls);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), httpAdapter(httpsOptions), {
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
    // Nest's start-up messages wait for the pino logger configureApp sets.
    bufferLogs: options.logger !== false,
  });
  return configureApp(app, options.logger === false ? { ...options, logLevel: 'silent' } : options);
}

/**
 * The Fastify server under Nest: HTTPS when configured; JSON bodies up to 100 kB (json-body.ts); the client
 * address is the socket's peer (no X-Forwarded-For trusted, trustProxy off, as before on Express).
 */
export function httpAdapter(httpsOptions?: ReturnType<typeof readTls>): FastifyAdapter {
  return new FastifyAdapter({
    ...(httpsOptions ? { https: httpsOptions } : {}),
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: false,
    // Routing as Express did: `/api/orders/` is `/api/orders`, `/API/Orders` too, and a path parameter of any
    // length reaches its route (whose pipe refuses a bad id with a 400 naming it; find-my-way's default is a 414
    // past 100 characters).
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 64 * 1024 },
    // Node's own timeouts, which the service had on Express (Fastify's defaults: 72 s idle keep-alive, no limit
    // on receiving a request).
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // What the router refuses before any hook (a malformed URL: 400), in the API's error format.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(error);
      void reply.code(status).send(body);
    },
  });
}

/**
 * What createApp does to the application Nest made: prefix, body checks, OpenAPI document. Exported for an
 * application built from AppModule by other means (Nest's testing module, to override a provider).
 */
export function configureApp(app: NestFastifyApplication, logging: LoggingOptions = {}): NestFastifyApplication {
  const fastify = app.getHttpAdapter().getInstance();
  // Structured logs (platform/logging): Nest's Logger through pino, one JSON line per request, for every request
  // the server takes (before Fastify, as the first Express middleware was; helmet is added before it, below).
  const logger = createLogger({ level: logging.logLevel ?? logLevelFrom(process.env), ...(logging.logDestination ? { destination: logging.logDestination } : {}) });
  app.useLogger(new PinoNestLogger(logger));
  const logRequest = requestLogging(logger);
  // The correlation id and actor on the Node request, seen from Fastify's; the route pattern for logs and metrics.
  decorateRequestState(fastify);
  // JSON up to 100 kB, other bodies unread (http/json-body.ts).
  registerBodyParsers(app);
  app.setGlobalPrefix('api');
  // helmet's security headers on every response; CORS only for JXC_CORS_ORIGINS (http/edges/security.ts).
  applySecurityEdges(app);
  beforeFastify(app, (request, response) => logRequest(request, response, () => undefined));
  // The web console (dist/console) at `/`, with index.html for its own routes; nothing when it is not built.
  serveConsole(app);
  // After the API-key guard (an APP_GUARD, registered first), before idempotency and validation: body
  // depth, prototype keys, lone surrogates, and bodies sent to routes that take none (http/validation.ts).
  app.useGlobalGuards(new RequestBodyGuard());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('jxc')
      .setDescription('Event-sourced 进销存 (purchase · sales · inventory) core. Money in integer minor units; quantities in integers.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from POST /api/keys, or JXC_BOOTSTRAP_ADMIN_KEY' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', swaggerOptions: { persistAuthorization: true } });
  return app;
}

/** Where the logs go: `LOG_LEVEL` (default info; silent under jest) unless given; stdout unless a destination (a test's capture) is. */
export interface LoggingOptions {
  readonly logLevel?: LevelWithSilent;
  readonly logDestination?: DestinationStream;
}
