import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';

export class ProcessOrderCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** placed -> processing (已处理未发货). */
@CommandHandler(ProcessOrderCommand)
export class ProcessOrderHandler implements ICommandHandler<ProcessOrderCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, metadata, ifMatch }: ProcessOrderCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'ProcessOrder', orderId }, metadata, ifMatch);
  }
}
