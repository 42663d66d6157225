import { type Actor, seesOwnOrdersOnly } from '../../domain/index.js';
import { type ViewFilter, type ViewQuery } from '../platform/read-store/read-store.port.js';
import { timeRange } from '../platform/http/query-params.js';

/** The parameters of GET /api/orders that select and page orders (validated by OrdersQuery). */
export interface OrderListParams {
  readonly kind?: string;
  readonly status?: string;
  /** `true`: held now; `false`: not held. */
  readonly onHold?: 'true' | 'false';
  readonly partyId?: string;
  readonly number?: string;
  readonly cancellation?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** The `orders` view query of one list page: filters, newest first, a clerk's own orders only. */
export function orderListQuery(params: OrderListParams, actor: Actor): ViewQuery {
  const filter: Record<string, ViewFilter[string]> = {};
  if (params.kind) filter.kind = params.kind;
  if (params.status) filter.status = params.status;
  // A hold's `at` is an ISO time: any string is ≥ '' (MongoDB compares strings with strings only), a null one never is.
  if (params.onHold) filter['onHold.at'] = params.onHold === 'true' ? { $gte: '' } : null;
  if (params.partyId) filter.partyId = params.partyId;
  if (params.number) filter.number = params.number;
  if (params.cancellation) filter['cancellation.state'] = params.cancellation === 'none' ? null : params.cancellation;
  const placed = timeRange(params.from, params.to);
  if (placed) filter.placedAt = placed;
  if (seesOwnOrdersOnly(actor)) filter.ownerId = actor.id;
  return { filter, sort: [{ field: 'placedAt', direction: 'desc' }], limit: params.limit ?? 50, cursor: params.cursor };
}
