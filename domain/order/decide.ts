import { type Context } from '../shared/context.js';
import { amendments } from './amendments.js';
import { cancellationReview } from './cancellation.js';
import { closing } from './closing.js';
import { type OrderCommand } from './commands.js';
import { type OrderEvent } from './events.js';
import { fulfilment } from './fulfilment.js';
import { type Decision, type DecisionTable } from './guards.js';
import { holds } from './holds.js';
import { placement } from './placement.js';
import { purchaseReturns } from './purchase-returns.js';
import { returns } from './returns.js';
import { type OrderState } from './state.js';

/**
 * Every order command, by type, to the workflow that decides it: placement.ts, fulfilment.ts, cancellation.ts
 * (request and review), returns.ts, amendments.ts, holds.ts, purchase-returns.ts, closing.ts; guards.ts holds
 * the checks they share. The table's type requires an entry for every command, so a new command is a type error
 * here until its workflow decides it. Approve and reject check the approver role before the order exists (role
 * checks come before state checks).
 */
const decisions: DecisionTable = {
  ...placement,
  ...fulfilment,
  ...cancellationReview,
  ...returns,
  ...amendments,
  ...holds,
  ...purchaseReturns,
  ...closing,
};

export function decide(command: OrderCommand, state: OrderState, context: Context): OrderEvent[] {
  return (decisions[command.type] as Decision<OrderCommand>)(command, state, context);
}
