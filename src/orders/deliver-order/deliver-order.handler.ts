import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';

export class DeliverOrderCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** sale shipped -> delivered. */
@CommandHandler(DeliverOrderCommand)
export class DeliverOrderHandler implements ICommandHandler<DeliverOrderCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, metadata, ifMatch }: DeliverOrderCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'DeliverOrder', orderId }, metadata, ifMatch);
  }
}
