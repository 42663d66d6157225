import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type SupplierRefundDto } from '../http/receive-supplier-refund.dto.js';

export class ReceiveSupplierRefundCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: SupplierRefundDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** purchase: money the supplier paid back against a refund due. */
@CommandHandler(ReceiveSupplierRefundCommand)
export class ReceiveSupplierRefundHandler implements ICommandHandler<ReceiveSupplierRefundCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: ReceiveSupplierRefundCommand): Promise<OrderResult> {
    return this.orders.onPayment(orderId, () => ({ type: 'ReceiveSupplierRefund', orderId, amount: body.amount, method: body.method }), metadata, ifMatch);
  }
}
