import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type ReceiveReturnDto } from '../http/receive-return.dto.js';

export class ReceiveReturnCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: ReceiveReturnDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** goods of a returning order came back: resellable restocked; when all is back, refund and cancelled. */
@CommandHandler(ReceiveReturnCommand)
export class ReceiveReturnHandler implements ICommandHandler<ReceiveReturnCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: ReceiveReturnCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'ReceiveReturn', orderId, lines: body.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })) }, metadata, ifMatch);
  }
}
