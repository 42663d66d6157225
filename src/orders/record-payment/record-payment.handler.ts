import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { OrderCommands } from '../commands.js';
import { type OrderResult } from '../http/order-view.js';
import { type RecordPaymentDto } from '../http/record-payment.dto.js';

export class RecordPaymentCommand extends Command<OrderResult> {
  constructor(
    readonly orderId: string,
    readonly body: RecordPaymentDto,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/** sale: a customer payment; purchase: a deposit to the supplier; more than outstanding is 409 overpayment. */
@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<RecordPaymentCommand> {
  constructor(private readonly orders: OrderCommands) {}

  execute({ orderId, body, metadata, ifMatch }: RecordPaymentCommand): Promise<OrderResult> {
    return this.orders.onPayment(orderId, (_order, terms) => ({ type: 'RecordPayment', orderId, amount: body.amount, method: body.method, terms }), metadata, ifMatch);
  }
}
