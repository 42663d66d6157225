import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors, ApiErrors } from '../../platform/http/openapi.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ExecuteMasterDataWrite } from '../commands.js';
import { ChangePartyDto, ChangeProductDto, ErasePartyDto, PartyAnswer, ProductAnswer, RegisterPartyDto, RegisterProductDto } from './master-data.dto.js';

/**
 * Master data: products (商品), customers (客户), suppliers (供应商). Registered once; a repeat of the same
 * registration answers the same. Each route sends its registration on the CommandBus (MasterDataWriteHandler).
 */
@ApiTags('master data')
@ApiCommandErrors()
@Controller()
export class MasterDataController {
  constructor(private readonly commands: CommandBus) {}

  @Post('products')
  @Roles('warehouse', 'integration')
  @ApiOperation({ summary: 'Register a product; minStock/maxStock become the thresholds of its main-warehouse stock position' })
  @ApiCreatedResponse({ type: ProductAnswer })
  async registerProduct(@Body() body: RegisterProductDto, @CommandContext() metadata: CommandMetadata): Promise<ProductAnswer> {
    const { sku, name, spec, unit, price, minStock, maxStock } = body;
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'RegisterProduct', sku, name, spec, unit, price, minStock, maxStock }, metadata))) as ProductAnswer;
  }

  @Post('customers')
  @Roles('clerk', 'integration')
  @ApiOperation({ summary: 'Register a customer' })
  @ApiCreatedResponse({ type: PartyAnswer })
  async registerCustomer(@Body() body: RegisterPartyDto, @CommandContext() metadata: CommandMetadata): Promise<PartyAnswer> {
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'RegisterCustomer', ...body }, metadata))) as PartyAnswer;
  }

  @Post('suppliers')
  @Roles('clerk', 'warehouse', 'integration')
  @ApiOperation({ summary: 'Register a supplier' })
  @ApiCreatedResponse({ type: PartyAnswer })
  async registerSupplier(@Body() body: RegisterPartyDto, @CommandContext() metadata: CommandMetadata): Promise<PartyAnswer> {
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'RegisterSupplier', ...body }, metadata))) as PartyAnswer;
  }

  @Patch('products/:sku')
  @Roles('warehouse')
  @ApiOperation({
    summary: 'Change a product (ProductChanged with the fields that changed; nothing changed: nothing appended)',
    description: 'Placed orders keep their line prices. `active: false` refuses new orders and new order lines with it (409 inactive). The price history is in GET /api/products/{sku}/history.',
  })
  @ApiOkResponse({ type: ProductAnswer })
  @ApiErrors(404)
  async changeProduct(@Param('sku', IdParamPipe) sku: string, @Body() body: ChangeProductDto, @CommandContext() metadata: CommandMetadata): Promise<ProductAnswer> {
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'ChangeProduct', sku, changes: { ...body } }, metadata))) as ProductAnswer;
  }

  @Patch('customers/:id')
  @Roles('clerk')
  @ApiOperation({ summary: 'Change a customer\'s contact details or make it (in)active (CustomerChanged; personal fields sealed like a registration\'s)' })
  @ApiOkResponse({ type: PartyAnswer })
  @ApiErrors(404)
  async changeCustomer(@Param('id', IdParamPipe) id: string, @Body() body: ChangePartyDto, @CommandContext() metadata: CommandMetadata): Promise<PartyAnswer> {
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'ChangeCustomer', id, changes: { ...body } }, metadata))) as PartyAnswer;
  }

  @Patch('suppliers/:id')
  @Roles('warehouse')
  @ApiOperation({ summary: 'Change a supplier\'s contact details or make it (in)active (SupplierChanged; personal fields sealed like a registration\'s)' })
  @ApiOkResponse({ type: PartyAnswer })
  @ApiErrors(404)
  async changeSupplier(@Param('id', IdParamPipe) id: string, @Body() body: ChangePartyDto, @CommandContext() metadata: CommandMetadata): Promise<PartyAnswer> {
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'ChangeSupplier', id, changes: { ...body } }, metadata))) as PartyAnswer;
  }

  @Post('customers/:id/erase')
  @Roles()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a customer\'s personal data (admin)',
    description:
      'Destroys the customer\'s data key: name, phone, email and address read as null everywhere from now on (views, audit trail, history, exports, replays), for good. The events stay, sealed, so every hash chain still verifies. Erasing again answers the same.',
  })
  @ApiOkResponse({ type: PartyAnswer })
  @ApiErrors(404)
  async eraseCustomer(@Param('id', IdParamPipe) id: string, @Body() body: ErasePartyDto, @CommandContext() metadata: CommandMetadata): Promise<PartyAnswer> {
    return (await this.commands.execute(new ExecuteMasterDataWrite({ type: 'EraseCustomer', id, reason: body.reason }, metadata))) as PartyAnswer;
  }
}
