import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type RequestCancellationDto } from '../http/request-cancellation.dto.js';

export class RequestCancellationCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: RequestCancellationDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** a cancellation request with a reason, to be reviewed by someone else. */
@CommandHandler(RequestCancellationCommand)
export class RequestCancellationHandler implements ICommandHandler<RequestCancellationCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: RequestCancellationCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'RequestCancellation', orderId, reason: body.reason, initiatedBy: body.initiatedBy, note: body.note ?? null }, metadata, ifMatch);
  }
}
