// node http-frameworks-server.js express|fastify: jxc's POST /api/orders body checks (the same DTO and validation
// pipe) on NestJS over one HTTP adapter, answering without doing the command, so that what differs between two
// runs of it is the adapter: routing, body parsing, headers and serialising the answer. Prints `PORT <n>`.
import 'reflect-metadata';

import { Body, Controller, HttpCode, Module, Post, Res } from '@nestjs/common';
import { APP_PIPE, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

// A value import: the validation pipe finds the DTO class through the decorator metadata.
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
import { PlaceOrderDto } from '../../../src/orders/http/place-order.dto.js';
import { StrictValidationPipe } from '../../../src/platform/http/validation.js';

/** Both Express's response and Fastify's reply have `header(name, value)`. */
interface Headers {
  header(name: string, value: string): unknown;
}

let placed = 0;

@Controller('api/orders')
class OrdersController {
  /** About what jxc answers a one-line sale with (the order view, its revision and position), with its headers. */
  @Post()
  @HttpCode(201)
  place(@Body() body: PlaceOrderDto, @Res({ passthrough: true }) response: Headers): Record<string, unknown> {
    const id = `01J${String(++placed).padStart(23, '0')}`;
    response.header('ETag', '"0"');
    response.header('Location', `/api/orders/${id}`);
    const total = body.lines.reduce((sum, line) => sum + line.quantity * (line.unitPrice ?? 0), 0);
    return {
      id,
      number: `SO-2026-${String(placed).padStart(6, '0')}`,
      kind: body.kind,
      partyId: body.partyId,
      warehouseId: body.warehouseId ?? 'main',
      currency: 'CNY',
      status: 'placed',
      lines: body.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice, shipped: 0, returned: 0, received: 0 })),
      total,
      paid: 0,
      refunded: 0,
      reservation: 'pending',
      cancellation: null,
      shipments: [],
      returns: [],
      placedAt: new Date().toISOString(),
      placedBy: 'bench-clerk',
      revision: 0,
      position: String(placed * 3),
    };
  }
}

@Module({ controllers: [OrdersController], providers: [{ provide: APP_PIPE, useClass: StrictValidationPipe }] })
class FrameworkBenchModule {}

const adapter = process.argv[2];
if (adapter !== 'express' && adapter !== 'fastify') throw new Error('usage: http-frameworks-server.js express|fastify');
const app = adapter === 'fastify' ? await NestFactory.create(FrameworkBenchModule, new FastifyAdapter(), { logger: false }) : await NestFactory.create(FrameworkBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };
process.stdout.write(`PORT ${port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
