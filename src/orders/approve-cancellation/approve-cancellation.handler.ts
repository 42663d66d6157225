import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type ApproveCancellationDto } from '../http/approve-cancellation.dto.js';

export class ApproveCancellationCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: ApproveCancellationDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** approve: release / refund / cancel, or returning, or purchase closed (the process runs inline). */
@CommandHandler(ApproveCancellationCommand)
export class ApproveCancellationHandler implements ICommandHandler<ApproveCancellationCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: ApproveCancellationCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'ApproveCancellation', orderId, note: body.note ?? null, refundMethod: body.refundMethod ?? null, penalty: body.penalty ?? null, goodwillCoupon: body.goodwillCoupon ?? null }, metadata, ifMatch);
  }
}
