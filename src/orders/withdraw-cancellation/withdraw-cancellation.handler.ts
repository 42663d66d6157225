import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';

export class WithdrawCancellationCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** withdrawn by the requester. */
@CommandHandler(WithdrawCancellationCommand)
export class WithdrawCancellationHandler implements ICommandHandler<WithdrawCancellationCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, metadata, ifMatch }: WithdrawCancellationCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'WithdrawCancellation', orderId }, metadata, ifMatch);
  }
}
