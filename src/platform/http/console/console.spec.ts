import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';

import { serveConsole } from './console.js';

@Controller('ping')
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

/** A real Nest + Fastify application under /api, serving `directory` as the console. */
async function appServing(directory: string): Promise<{ app: NestFastifyApplication; served: boolean }> {
  const app = await NestFactory.create<NestFastifyApplication>(PingModule, new FastifyAdapter(), { logger: false });
  app.setGlobalPrefix('api');
  const served = serveConsole(app, directory);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, served };
}

describe('the console served at / (dist/console)', () => {
  const root = mkdtempSync(join(tmpdir(), 'jxc-console-'));
  const built = join(root, 'console');
  let app: NestFastifyApplication;

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>jxc console</title><div id="root"></div>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log("console");');
    ({ app } = await appServing(built));
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for the console routes a reload asks for', async () => {
    for (const path of ['/', '/orders', '/orders/SO-2026-000001', '/approvals?x=1']) {
      const response = await request(app.getHttpServer()).get(path).expect(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.text).toContain('<title>jxc console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves the built files as they are, hashed assets cached for good', async () => {
    const response = await request(app.getHttpServer()).get('/assets/index-abc123.js').expect(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.text).toBe('console.log("console");');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('leaves /api to the API: its routes answer, an unknown /api path is the API 404, never the console page', async () => {
    expect((await request(app.getHttpServer()).get('/api/ping').expect(200)).body).toEqual({ pong: true });
    const unknown = await request(app.getHttpServer()).get('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('jxc console');
    const bare = await request(app.getHttpServer()).get('/api');
    expect(bare.status).toBe(404);
    expect(bare.text).not.toContain('jxc console');
  });

  it('answers only GET and HEAD with the page: a POST to a console path is a 404', async () => {
    const posted = await request(app.getHttpServer()).post('/orders').send({});
    expect(posted.status).toBe(404);
    expect(posted.text).not.toContain('jxc console');
    await request(app.getHttpServer()).head('/orders').expect(200);
  });
});

describe('the console when it was not built', () => {
  it('serves nothing: / is a plain 404, not a 5xx, and the API still answers', async () => {
    const missing = mkdtempSync(join(tmpdir(), 'jxc-console-missing-'));
    const { app, served } = await appServing(join(missing, 'console'));
    try {
      expect(served).toBe(false);
      expect((await request(app.getHttpServer()).get('/')).status).toBe(404);
      expect((await request(app.getHttpServer()).get('/orders/x')).status).toBe(404);
      await request(app.getHttpServer()).get('/api/ping').expect(200);
    } finally {
      await app.close();
      rmSync(missing, { recursive: true, force: true });
    }
  });
});
