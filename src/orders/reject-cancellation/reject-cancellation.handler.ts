import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type RejectCancellationDto } from '../http/reject-cancellation.dto.js';

export class RejectCancellationCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: RejectCancellationDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** reject with a reason; the order stays where it was. */
@CommandHandler(RejectCancellationCommand)
export class RejectCancellationHandler implements ICommandHandler<RejectCancellationCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: RejectCancellationCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'RejectCancellation', orderId, reason: body.reason }, metadata, ifMatch);
  }
}
