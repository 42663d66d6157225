import { type Context } from '../shared/context.js';
import { assertNever } from '../shared/event.js';
import { approveCancellation, rejectCancellation, requestCancellation, withdrawCancellation } from './cancellation.js';
import { closeOrder, completeCancellation } from './closing.js';
import { type OrderCommand } from './commands.js';
import { type OrderEvent } from './events.js';
import { deliverOrder, processOrder, receiveGoods, shipOrder } from './fulfilment.js';
import { existing } from './guards.js';
import { confirmReservation, placeOrder, rejectOrder } from './placement.js';
import { receiveReturn } from './returns.js';
import { type OrderState } from './state.js';

/**
 * The order's decider dispatches each command to its workflow: placement.ts, fulfilment.ts,
 * cancellation.ts (request and review), returns.ts, closing.ts; guards.ts holds the checks they share.
 * Approve and reject check the approver role before the order exists (role checks come before state checks).
 */
export function decide(command: OrderCommand, state: OrderState, context: Context): OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder': return placeOrder(command, state, context);
    case 'ConfirmReservation': return confirmReservation(command, existing(state, command.orderId), context);
    case 'RejectOrder': return rejectOrder(command, existing(state, command.orderId), context);
    case 'ProcessOrder': return processOrder(command, existing(state, command.orderId), context);
    case 'ShipOrder': return shipOrder(command, existing(state, command.orderId), context);
    case 'DeliverOrder': return deliverOrder(command, existing(state, command.orderId), context);
    case 'ReceiveGoods': return receiveGoods(command, existing(state, command.orderId), context);
    case 'RequestCancellation': return requestCancellation(command, existing(state, command.orderId), context);
    case 'ApproveCancellation': return approveCancellation(command, state, context);
    case 'RejectCancellation': return rejectCancellation(command, state, context);
    case 'WithdrawCancellation': return withdrawCancellation(command, existing(state, command.orderId), context);
    case 'ReceiveReturn': return receiveReturn(command, existing(state, command.orderId), context);
    case 'CompleteCancellation': return completeCancellation(command, existing(state, command.orderId), context);
    case 'CloseOrder': return closeOrder(command, existing(state, command.orderId), context);
    default: return assertNever(command);
  }
}
