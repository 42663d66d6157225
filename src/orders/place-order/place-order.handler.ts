import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { customerStream, DEFAULT_CURRENCY, DEFAULT_WAREHOUSE_ID, orderStream, productStream, supplierStream } from '../../../domain/index.js';
import { placementRefusal } from '../../../domain/order/placement-outcome.js';
import { type FieldProblem, validationFailed } from '../../platform/http/validation.js';
import { newEntityId } from '../../platform/idempotency/entity-id.js';
import { AggregateRepository } from '../../platform/write-model/aggregate-repository.js';
import { customerAggregate, orderAggregate, productAggregate, supplierAggregate } from '../../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type PlaceOrderDto } from '../http/place-order.dto.js';

export class PlaceOrderCommand extends Command<OrderResult> {
  constructor(
    readonly body: PlaceOrderDto,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Place a sale (every line reserved, or rejected) or a purchase (incoming expected, funds committed). */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly orders: OrderCommands,
  ) {}

  async execute({ body, metadata }: PlaceOrderCommand): Promise<OrderResult> {
    await this.assertKnownReferences(body);
    const orderId = body.orderId ?? newEntityId(metadata, 'order');
    const executed = await this.repository.execute(
      orderAggregate,
      orderStream(orderId),
      {
        type: 'PlaceOrder',
        orderId,
        number: body.number ?? null,
        kind: body.kind,
        partyId: body.partyId,
        warehouseId: body.warehouseId ?? DEFAULT_WAREHOUSE_ID,
        currency: body.currency ?? DEFAULT_CURRENCY,
        lines: body.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      },
      metadata,
    );
    const result = await this.orders.settle(orderId, metadata, executed.position, executed.alreadyApplied !== undefined);
    const order = (await this.repository.load(orderAggregate, orderStream(orderId))).state;
    const refusal = order && placementRefusal(order);
    if (refusal) throw refusal;
    return result;
  }

  /** Unknown SKUs or parties are 400 validation_failed naming the field (API.md). */
  private async assertKnownReferences(body: PlaceOrderDto): Promise<void> {
    const problems: FieldProblem[] = [];
    const party =
      body.kind === 'sale'
        ? await this.repository.load(customerAggregate, customerStream(body.partyId))
        : await this.repository.load(supplierAggregate, supplierStream(body.partyId));
    if (party.state === null) problems.push({ field: 'partyId', problems: [`no ${body.kind === 'sale' ? 'customer' : 'supplier'} ${body.partyId}`] });
    const products = await Promise.all(body.lines.map((line) => this.repository.load(productAggregate, productStream(line.sku))));
    products.forEach((product, index) => {
      if (product.state === null) problems.push({ field: `lines[${index}].sku`, problems: [`no product ${body.lines[index].sku}`] });
    });
    if (problems.length > 0) throw validationFailed(problems);
  }
}
