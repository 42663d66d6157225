import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { type BenchCase, type Measure, type Workload } from '../harness/workload.js';

const CONNECTIONS = 64;
const server = fileURLToPath(new URL('./http-frameworks-server.js', import.meta.url));
const body = (i: number) => JSON.stringify({ kind: 'sale', partyId: 'bench-customer', lines: [{ sku: `SKU-${String(i % 1000).padStart(4, '0')}`, quantity: 1, unitPrice: 1999 }] });

type Adapter = 'express' | 'fastify';

/** The server of http-frameworks-server.ts on one adapter, in a child process of its own. */
class FrameworkServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(adapter: Adapter): Promise<FrameworkServer> {
    const child = spawn(process.execPath, [server, adapter], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      let out = '';
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the ${adapter} server ended (exit ${code}) before it listened`)));
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const port = /PORT (\d+)/.exec(out)?.[1];
        if (port !== undefined) {
          child.removeAllListeners('exit');
          resolve(new FrameworkServer(child, `http://127.0.0.1:${port}`));
        }
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

async function post(url: string, seconds: number): Promise<Record<string, number>> {
  let i = 0;
  const result = await autocannon({
    url: `${url}/api/orders`,
    connections: CONNECTIONS,
    duration: Math.max(1, seconds),
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(i++) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, microsPerRequest: 1e6 / result.requests.average };
}

/**
 * Issue 16 asks to measure `@nestjs/platform-fastify` against Express before porting jxc's HTTP layer to it. This
 * measures the adapter alone, in the same run: the same controller, DTO and validation pipe on both.
 */
export const httpFrameworksWorkload: Workload = {
  name: 'http-frameworks',
  title: "HTTP adapters: NestJS on Fastify against NestJS on Express, jxc's POST /api/orders body checks without the command",
  limits:
    'Both servers run jxc\'s PlaceOrderDto through its StrictValidationPipe (class-validator) and answer a 435-byte order ' +
    'with ETag and Location, without deciding or storing anything, in a child process of their own; autocannon shares the ' +
    'two cores. So the difference between the two figures is what the adapter costs a request (routing, body parsing, ' +
    'headers, serialising): jxc\'s own middleware (request logging, metrics, request ids, helmet) and guards are not in ' +
    'either, and would cost what they cost on either adapter. What a port of jxc to Fastify would save a request is ' +
    'at most the difference of the two microseconds-per-request figures; set that beside the service\'s own time per ' +
    'request (the commands workload\'s HTTP row).',
  async prepare() {
    const express = await FrameworkServer.start('express');
    const fastify = await FrameworkServer.start('fastify');
    const onExpress: Measure = { key: 'nest-express', label: `NestJS on Express, ${CONNECTIONS} connections (autocannon)`, run: ({ seconds }) => post(express.url, seconds) };
    const onFastify: Measure = { key: 'nest-fastify', label: `NestJS on Fastify, ${CONNECTIONS} connections (autocannon)`, run: ({ seconds }) => post(fastify.url, seconds) };
    const cases: BenchCase[] = [
      {
        name: 'fastify-vs-express',
        title: `POST /api/orders body checks, no command, ${CONNECTIONS} connections: Fastify adapter`,
        unit: 'req/s',
        durability: 'n/a',
        higherIsBetter: true,
        subject: onFastify,
        metric: 'requestsPerSecond',
        baseline: onExpress,
        baselineMetric: 'requestsPerSecond',
      },
      {
        name: 'fastify-us-per-request',
        title: 'the same, time per request at 64 connections (1 s ÷ rate): Fastify adapter',
        unit: 'µs',
        durability: 'n/a',
        higherIsBetter: false,
        subject: onFastify,
        metric: 'microsPerRequest',
        baseline: onExpress,
        baselineMetric: 'microsPerRequest',
      },
      { name: 'fastify-p99', title: 'the same, latency p99: Fastify adapter', unit: 'ms', durability: 'n/a', higherIsBetter: false, subject: onFastify, metric: 'p99', baseline: onExpress, baselineMetric: 'p99' },
    ];
    return {
      cases,
      notes: () => [
        '@nestjs/platform-fastify and @nestjs/platform-express of the same NestJS release; Express adds its X-Powered-By header, as jxc turns off (helmet)',
        'jxc itself runs on @nestjs/platform-fastify since 2026-12-03 (measured here before that); @nestjs/platform-express is kept for this comparison only',
      ],
      close: async () => {
        await express.close();
        await fastify.close();
      },
    };
  },
};
