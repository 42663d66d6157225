import 'reflect-metadata';

import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type DestinationStream, type LevelWithSilent } from 'pino';

import { AppModule } from './app.module.js';
import { type Config } from './platform/config/config.js';
import { serveConsole } from './platform/http/console/console.js';
import { applySecurityEdges } from './platform/http/edges/security.js';
import { readTls } from './platform/http/edges/tls.js';
import { RequestBodyGuard } from './platform/http/validation.js';
import { createLogger, logLevelFrom, PinoNestLogger, requestLogging } from './platform/logging/logging.js';

/** Builds the application (used by main.ts and by the end-to-end tests). Signals are main.ts's (graceful stop). */
export async function createApp(config: Config, options: { logger?: boolean } & LoggingOptions = {}): Promise<INestApplication> {
  // Read before the stores open: an unreadable certificate stops the start with one line (ConfigError).
  const httpsOptions = readTls(config.tls);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    ...(httpsOptions ? { httpsOptions } : {}),
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
    // Nest's start-up messages wait for the pino logger configureApp sets.
    bufferLogs: options.logger !== false,
  });
  return configureApp(app, options.logger === false ? { ...options, logLevel: 'silent' } : options);
}

/**
 * What createApp does to the application Nest made: prefix, body checks, OpenAPI document. Exported for an
 * application built from AppModule by other means (Nest's testing module, to override a provider).
 */
export function configureApp(app: NestExpressApplication, logging: LoggingOptions = {}): NestExpressApplication {
  // Structured logs (platform/logging): Nest's Logger through pino, one JSON line per request (first middleware).
  const logger = createLogger({ level: logging.logLevel ?? logLevelFrom(process.env), ...(logging.logDestination ? { destination: logging.logDestination } : {}) });
  app.useLogger(new PinoNestLogger(logger));
  app.use(requestLogging(logger));
  app.setGlobalPrefix('api');
  // helmet's security headers on every response; CORS only for JXC_CORS_ORIGINS (http/edges/security.ts).
  applySecurityEdges(app);
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
