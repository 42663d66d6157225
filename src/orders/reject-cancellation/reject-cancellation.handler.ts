import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../write-model/command-metadata.js';
import { OrderCommands } from '../order-commands.service.js';
import { type OrderResult } from '../order-result.js';
import { type RejectCancellationDto } from './reject-cancellation.dto.js';

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
