import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../write-model/command-metadata.js';
import { OrderCommands } from '../order-commands.service.js';
import { type OrderResult } from '../order-result.js';

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
