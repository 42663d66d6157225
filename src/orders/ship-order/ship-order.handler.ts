import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type ShipOrderDto } from '../http/ship-order.dto.js';

export class ShipOrderCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: ShipOrderDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** sale placed|processing -> shipped: the reservation leaves the warehouse. */
@CommandHandler(ShipOrderCommand)
export class ShipOrderHandler implements ICommandHandler<ShipOrderCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: ShipOrderCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'ShipOrder', orderId, carrier: body.carrier ?? null, trackingNumber: body.trackingNumber ?? null }, metadata, ifMatch);
  }
}
