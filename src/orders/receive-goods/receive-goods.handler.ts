import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type ReceiveGoodsDto } from '../http/receive-goods.dto.js';

export class ReceiveGoodsCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: ReceiveGoodsDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** purchase -> partially_received | received; more than ordered is 409 exceeds_ordered. */
@CommandHandler(ReceiveGoodsCommand)
export class ReceiveGoodsHandler implements ICommandHandler<ReceiveGoodsCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: ReceiveGoodsCommand): Promise<OrderResult> {
    return this.orders.onOrder(orderId, { type: 'ReceiveGoods', orderId, lines: body.lines.map(({ sku, quantity }) => ({ sku, quantity })) }, metadata, ifMatch);
  }
}
