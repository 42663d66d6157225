import 'reflect-metadata';

import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module.js';
import { type Config } from './config/config.js';

/** Builds the application (used by main.ts and by the end-to-end tests). */
export async function createApp(config: Config, options: { logger?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
    bufferLogs: false,
  });
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  return app;
}
