import { DEFAULT_CURRENCY } from '../shared/defaults.js';

/**
 * Brings stored order event data to the current schema before `evolve` sees it.
 * `OrderPlaced` v1 had no `currency`: every order was in CNY then.
 */
export function upcastOrderEvent(type: string, schemaVersion: number, data: unknown): unknown {
  if (type === 'OrderPlaced' && schemaVersion < 2) {
    const v1 = data as Record<string, unknown>;
    return { ...v1, currency: DEFAULT_CURRENCY };
  }
  return data;
}
