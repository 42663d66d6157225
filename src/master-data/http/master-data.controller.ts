import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { customerStream, productStream, supplierStream } from '../../../domain/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { ApiCommandErrors } from '../../platform/http/openapi.js';
import { Command } from '../../platform/http/request-context.js';
import { newEntityId } from '../../platform/idempotency/entity-id.js';
import { ProductProcessRunner } from '../../stock/product-process-runner.js';
import { AggregateRepository } from '../../platform/write-model/aggregate-repository.js';
import { customerAggregate, productAggregate, supplierAggregate } from '../../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { PartyView, ProductView, RegisterPartyDto, RegisterProductDto } from './master-data.dto.js';

/** Master data: products (商品), customers (客户), suppliers (供应商). Registered once; a repeat of the same registration answers the same. */
@ApiTags('master data')
@ApiCommandErrors()
@Controller()
export class MasterDataController {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly products: ProductProcessRunner,
  ) {}

  @Post('products')
  @Roles('warehouse', 'integration')
  @ApiOperation({ summary: 'Register a product; minStock/maxStock become the thresholds of its main-warehouse stock position' })
  @ApiCreatedResponse({ type: ProductView })
  async registerProduct(@Body() body: RegisterProductDto, @Command() metadata: CommandMetadata): Promise<ProductView> {
    const { sku, name, spec, unit, price, minStock, maxStock } = body;
    const executed = await this.repository.execute(productAggregate, productStream(sku), { type: 'RegisterProduct', sku, name, spec, unit, price, minStock, maxStock }, metadata);
    await this.products.run(sku, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
    return executed.aggregate.state as ProductView;
  }

  @Post('customers')
  @Roles('clerk', 'integration')
  @ApiOperation({ summary: 'Register a customer' })
  @ApiCreatedResponse({ type: PartyView })
  async registerCustomer(@Body() body: RegisterPartyDto, @Command() metadata: CommandMetadata): Promise<PartyView> {
    const id = body.id ?? newEntityId(metadata, 'customer');
    const executed = await this.repository.execute(customerAggregate, customerStream(id), { type: 'RegisterCustomer', ...body, id }, metadata);
    return executed.aggregate.state as PartyView;
  }

  @Post('suppliers')
  @Roles('clerk', 'warehouse', 'integration')
  @ApiOperation({ summary: 'Register a supplier' })
  @ApiCreatedResponse({ type: PartyView })
  async registerSupplier(@Body() body: RegisterPartyDto, @Command() metadata: CommandMetadata): Promise<PartyView> {
    const id = body.id ?? newEntityId(metadata, 'supplier');
    const executed = await this.repository.execute(supplierAggregate, supplierStream(id), { type: 'RegisterSupplier', ...body, id }, metadata);
    return executed.aggregate.state as PartyView;
  }
}
