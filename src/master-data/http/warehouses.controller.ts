import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { type FastifyReply } from 'fastify';

import { MAIN_WAREHOUSE, WAREHOUSE_ID_PATTERN } from '../../../domain/warehouse/state.js';
import { type WarehouseView } from '../../../projections/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { OptionalTextField, TextField } from '../../platform/http/dto-rules.js';
import { ApiCommandErrors, ApiQueryErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { ReadYourWrites } from '../../platform/projection-runner/read-your-writes.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ReadQuery } from '../../orders/http/orders-query.dto.js';
import { WarehouseRegistry } from '../warehouses.js';

const WAREHOUSE_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;

export class RegisterWarehouseDto {
  @ApiProperty({ example: 'SH_PUDONG', pattern: WAREHOUSE_ID_PATTERN.source, description: '1 to 32 letters, digits or _ (no `-`: it is part of stock stream names)' })
  @Matches(WAREHOUSE_ID_PATTERN, { message: '$property must be 1 to 32 letters, digits or _' })
  id!: string;

  @TextField('Shanghai Pudong warehouse', 200)
  name!: string;

  @OptionalTextField('88 Century Avenue, Pudong, Shanghai', 500)
  address?: string;
}

export class WarehouseResponse {
  @ApiProperty({ example: 'SH_PUDONG' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when it was registered; null for `main`, which exists from the start (and in the answer to a repeated registration)' }) registeredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'log position of its registration (null for `main`)' }) position!: string | null;
}
type _WarehouseResponse = Expect<Same<WarehouseResponse, Omit<WarehouseView, 'warehouseId' | 'position'> & { position: string | null }>>;

export class WarehouseListResponse {
  @ApiProperty({ type: [WarehouseResponse], description: '`main` first, then the others by id' }) items!: WarehouseResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'always null: every warehouse fits in one page' }) nextCursor!: string | null;
}

const MAIN: WarehouseResponse = { id: MAIN_WAREHOUSE.warehouseId, name: MAIN_WAREHOUSE.name, address: MAIN_WAREHOUSE.address, registeredAt: null, position: null };

/** Warehouses (仓库): `main` exists from the start; others are registered once (POST) and listed (GET). */
@ApiTags('master data')
@Controller('warehouses')
export class WarehousesController {
  constructor(
    private readonly registry: WarehouseRegistry,
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
  ) {}

  @Post()
  @Roles('warehouse')
  @ApiCommandErrors()
  @ApiOperation({ summary: 'Register a warehouse; the same registration again answers the same, another one under a known id (or `main`) is 409 already_exists' })
  @ApiCreatedResponse({ type: WarehouseResponse })
  async register(@Body() body: RegisterWarehouseDto, @CommandContext() metadata: CommandMetadata): Promise<WarehouseResponse> {
    const { warehouse, position, appended } = await this.registry.register({ type: 'RegisterWarehouse', warehouseId: body.id, name: body.name, address: body.address ?? null }, metadata);
    return { id: warehouse.warehouseId, name: warehouse.name, address: warehouse.address, registeredAt: appended ? metadata.now : null, position };
  }

  @Get()
  @Roles(...WAREHOUSE_READERS)
  @ApiQueryErrors()
  @ApiOperation({ summary: 'Every warehouse: `main` first, then the registered ones by id' })
  @ApiOkResponse({ type: WarehouseListResponse })
  async list(@Query() query: ReadQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<WarehouseListResponse> {
    await this.freshness.awaitView('warehouses', query.minPosition, response);
    const items: WarehouseResponse[] = [];
    for await (const doc of this.views.scan<WarehouseView & ViewDocument>('warehouses', { pageSize: 500 })) {
      items.push({ id: doc.warehouseId, name: doc.name, address: doc.address, registeredAt: doc.registeredAt, position: doc.position });
    }
    items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { items: [MAIN, ...items], nextCursor: null };
  }
}
