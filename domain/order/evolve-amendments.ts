import { type AmendmentFacts, type AmendmentRefused } from './events.js';
import { fulfilmentStatus, newLine } from './lines.js';
import { type Amendment, type Order } from './state.js';

/** How amendments change a sale: requested (an increase to reserve), applied, or refused (nothing changes). */

function amendmentOf(data: AmendmentFacts & { at: string }, state: Amendment['state']): Amendment {
  return {
    amendmentNo: data.amendmentNo,
    reason: data.reason,
    amendedBy: data.amendedBy,
    at: data.at,
    before: data.before,
    after: data.after,
    state,
    shortLines: [],
  };
}

/** New skus of `after` become lines of quantity 0 (at their amended price) so their stock is held and shown. */
function withNewSkus(order: Order, after: AmendmentFacts['after']): Order['lines'] {
  const added = after.filter((line) => !order.lines.some((existing) => existing.sku === line.sku));
  return [...order.lines, ...added.map((line) => newLine(line.sku, 0, line.unitPrice))];
}

export function applyAmendmentRequested(order: Order, data: AmendmentFacts & { at: string }): Order {
  return {
    ...order,
    lines: withNewSkus(order, data.after),
    amendments: [...order.amendments, amendmentOf(data, 'pending')],
    requirementVersion: order.requirementVersion + 1,
  };
}

/** The lines become `after`: a line left out is quantity 0; prices follow `after`. */
export function applyAmended(order: Order, data: AmendmentFacts & { at: string }): Order {
  const lines = withNewSkus(order, data.after).map((line) => {
    const after = data.after.find((candidate) => candidate.sku === line.sku);
    return after === undefined ? { ...line, quantity: 0 } : { ...line, quantity: after.quantity, unitPrice: after.unitPrice };
  });
  const known = order.amendments.some((amendment) => amendment.amendmentNo === data.amendmentNo);
  const amendments = known
    ? order.amendments.map((amendment) => (amendment.amendmentNo === data.amendmentNo ? { ...amendment, state: 'applied' as const } : amendment))
    : [...order.amendments, amendmentOf(data, 'applied')];
  const amended: Order = { ...order, lines, amendments, requirementVersion: order.requirementVersion + 1 };
  return { ...amended, status: fulfilmentStatus(amended) };
}

/** Nothing changes but the record: lines the amendment added (still untouched) go away again. */
export function applyAmendmentRefused(order: Order, data: AmendmentRefused['data']): Order {
  const refused = order.amendments.find((amendment) => amendment.amendmentNo === data.amendmentNo);
  const addedSkus = new Set((refused?.after ?? []).filter((line) => !refused?.before.some((before) => before.sku === line.sku)).map((line) => line.sku));
  return {
    ...order,
    lines: order.lines.filter((line) => !(addedSkus.has(line.sku) && line.quantity === 0 && line.shipped === 0 && line.cancelled === 0)),
    amendments: order.amendments.map((amendment) =>
      amendment.amendmentNo === data.amendmentNo ? { ...amendment, state: 'refused' as const, shortLines: data.shortLines } : amendment),
    requirementVersion: order.requirementVersion + 1,
  };
}
