/** The currency of an order when none is given (API.md: default `CNY`). */
export const DEFAULT_CURRENCY = 'CNY';

/** The warehouse of a stock position or an order when none is given (API.md: `main`). */
export const DEFAULT_WAREHOUSE_ID = 'main';
