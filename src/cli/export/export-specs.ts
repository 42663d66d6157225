import { type CancellationState, type OrderStatus } from '../../../domain/order/state.js';
import { type FieldOperators, type FilterValue, type SortKey, type ViewDocument, type ViewFilter } from '../../platform/read-store/read-store.port.js';
import { AUDIT_TRAIL, ORDER_LINES, type SheetSpec, STOCK_LEVELS } from '../../exports/rows.js';
import { type ColumnKind } from '../../exports/sheet.js';
import { JOURNAL_BOOKS } from '../../journal/voucher-sheet.js';
import { usageError } from '../cli-error.js';

/** A column of a CSV or XLSX export: a field path of the view document. */
export interface Column {
  readonly header: string;
  /** Dotted path into the document (`cancellation.state`). */
  readonly field: string;
  /** Written as a number in XLSX. */
  readonly numeric?: boolean;
  /** `money`: minor units written in major units of the row's `currency` column; `time`: a date (see src/exports/sheet.ts). */
  readonly kind?: Extract<ColumnKind, 'money' | 'time'>;
  readonly width?: number;
}

/** A command-line filter: `--<option> value` is equality on `field` (values checked against `values` when given). */
export interface EqualityFilter {
  readonly field: string;
  readonly values?: readonly string[];
  /** This option value means "the field is null or missing". */
  readonly noneValue?: string;
}

export interface ExportSpec {
  readonly view: string;
  readonly description: string;
  /** Newest first where the view has a time; always on declared indexes. */
  readonly sort: readonly SortKey[];
  /** CSV and XLSX: the rows the HTTP exports write (src/exports/rows.ts), or else these columns, one row per document. */
  readonly sheet?: SheetSpec<never>;
  readonly columns?: readonly Column[];
  /** Option name (as on the command line, without `--`) to filter. */
  readonly filters: Readonly<Record<string, EqualityFilter>>;
  /** `--from` (inclusive) and `--to` (exclusive) on this field: ISO times, or days for a `day` field. */
  readonly range?: { readonly field: string; readonly unit: 'time' | 'day' };
}

const col = (field: string, options: Partial<Column> = {}): Column => ({ header: field, field, ...options });
const num = (field: string): Column => col(field, { numeric: true, width: 12 });
const time = (field: string): Column => col(field, { kind: 'time', width: 20 });
const money = (field: string): Column => col(field, { kind: 'money', width: 14 });

// Checked against the domain's types: a status or state added there fails to compile here until listed.
const ORDER_STATUSES = Object.keys({
  placed: true, processing: true, partially_shipped: true, shipped: true, delivered: true, rejected: true, returning: true, partially_received: true, received: true, closed: true, cancelled: true,
} satisfies Record<OrderStatus, true>);
const CANCELLATION_STATES = Object.keys({ requested: true, approved: true, rejected: true, withdrawn: true } satisfies Record<CancellationState, true>);

export const EXPORT_SPECS: readonly ExportSpec[] = [
  {
    view: 'orders',
    description: 'one row per order line, newest first (placedAt); money in major units beside the currency, times as dates (CSV: ISO 8601 with offset)',
    sort: [{ field: 'placedAt', direction: 'desc' }],
    sheet: ORDER_LINES,
    filters: {
      kind: { field: 'kind', values: ['sale', 'purchase'] },
      status: { field: 'status', values: ORDER_STATUSES },
      party: { field: 'partyId' },
      owner: { field: 'ownerId' },
      number: { field: 'number' },
      cancellation: { field: 'cancellation.state', values: [...CANCELLATION_STATES, 'none'], noneValue: 'none' },
    },
    range: { field: 'placedAt', unit: 'time' },
  },
  {
    view: 'stock_levels',
    description: 'one row per stock position, by sku and warehouse',
    sort: [{ field: 'sku', direction: 'asc' }, { field: 'warehouseId', direction: 'asc' }],
    sheet: STOCK_LEVELS,
    filters: { sku: { field: 'sku' }, warehouse: { field: 'warehouseId' }, alert: { field: 'alert', values: ['low', 'high', 'none'], noneValue: 'none' } },
  },
  {
    view: 'stock_alerts',
    description: 'stock positions below min (low) or above max (high)',
    sort: [{ field: 'alert', direction: 'asc' }, { field: 'warehouseId', direction: 'asc' }, { field: 'sku', direction: 'asc' }],
    sheet: STOCK_LEVELS,
    filters: { sku: { field: 'sku' }, warehouse: { field: 'warehouseId' }, alert: { field: 'alert', values: ['low', 'high'] } },
  },
  {
    view: 'stock_transfers',
    description: 'transfers (调拨) between warehouses, by transfer id; value in minor units of the business currency (as products\' price)',
    sort: [{ field: 'transferId', direction: 'asc' }],
    columns: [
      col('transferId', { width: 24 }), col('sku', { width: 20 }), col('from'), col('to'), num('quantity'), num('received'), col('status'),
      num('value'), num('receivedValue'), col('note', { width: 24 }), col('sentBy'), time('sentAt'), col('arrived'), time('receivedAt'), col('position'),
    ],
    filters: { sku: { field: 'sku' }, status: { field: 'status', values: ['in_transit', 'received'] } },
  },
  {
    view: 'audit_trail',
    description: 'one row per business event, newest first (occurredAt); data as JSON',
    sort: [{ field: 'occurredAt', direction: 'desc' }],
    sheet: AUDIT_TRAIL,
    filters: { stream: { field: 'streamId' }, type: { field: 'type' }, actor: { field: 'actor.id' }, order: { field: 'orderId' } },
    range: { field: 'occurredAt', unit: 'time' },
  },
  {
    view: 'cancellation_stats',
    description: 'approved cancellations by day, kind, initiator, reason, currency and scope, newest day first',
    sort: [{ field: 'day', direction: 'desc' }],
    columns: [
      col('day', { width: 12 }), col('kind'), col('initiatedBy'), col('reason', { width: 24 }), col('currency'), col('scope'), num('count'), money('value'), money('refunded'), col('position'),
    ],
    filters: {
      kind: { field: 'kind', values: ['sale', 'purchase'] },
      reason: { field: 'reason' },
      'initiated-by': { field: 'initiatedBy', values: ['customer', 'company', 'supplier'] },
      scope: { field: 'scope', values: ['whole', 'lines', 'remainder'] },
    },
    range: { field: 'day', unit: 'day' },
  },
  {
    view: 'products',
    description: 'the product catalogue, by sku',
    sort: [{ field: 'skuLower', direction: 'asc' }],
    columns: [
      col('sku', { width: 20 }), col('name', { width: 28 }), col('spec', { width: 20 }), col('unit'), num('price'), num('minStock'), num('maxStock'), col('active'),
      col('preferredSupplierId', { width: 16 }), num('leadTimeDays'), time('registeredAt'), col('position'),
    ],
    filters: {},
  },
  ...(['customers', 'suppliers'] as const).map(
    (view): ExportSpec => ({
      view,
      description: `the ${view}, by id; personal data opened with the master key (null once erased)`,
      // By id (every view's key): no index on a name, which is sealed.
      sort: [],
      columns: [
        col('id', { width: 20 }), col('name', { width: 28 }), col('phone', { width: 16 }), col('email', { width: 24 }), col('address', { width: 32 }), col('erased'),
        col('active'), time('registeredAt'), col('position'),
      ],
      filters: {},
    }),
  ),
  {
    view: 'warehouses',
    description: 'registered warehouses, by id (main, known from the start, has no row unless registered)',
    sort: [],
    columns: [col('warehouseId', { width: 16 }), col('name', { width: 28 }), col('address', { width: 32 }), time('registeredAt'), col('position')],
    filters: {},
  },
  {
    view: 'planning_demand',
    description: 'units asked for by the sales placed per warehouse, sku and UTC day (reorder planning), newest day first',
    sort: [{ field: 'day', direction: 'desc' }],
    columns: [col('day', { width: 12 }), col('warehouseId'), col('sku', { width: 20 }), num('quantity'), col('position')],
    filters: { sku: { field: 'sku' }, warehouse: { field: 'warehouseId' } },
    range: { field: 'day', unit: 'day' },
  },
  {
    view: 'planning_purchases',
    description: 'one row per purchase order line: supplier and lead time (placed to first receipt), newest first (placedAt)',
    sort: [{ field: 'placedAt', direction: 'desc' }],
    columns: [
      col('orderId', { width: 24 }), col('sku', { width: 20 }), col('warehouseId'), col('supplierId', { width: 16 }), time('placedAt'), time('receivedAt'),
      num('leadTimeDays'), col('position'),
    ],
    filters: { sku: { field: 'sku' }, warehouse: { field: 'warehouseId' }, supplier: { field: 'supplierId' } },
    range: { field: 'placedAt', unit: 'time' },
  },
  {
    view: 'journal',
    description: 'one row per journal line, by book (an order, or one event outside orders) in the order of their first voucher; money in major units beside the currency',
    sort: [{ field: 'firstAt', direction: 'asc' }],
    sheet: JOURNAL_BOOKS,
    filters: { order: { field: 'orderId' } },
  },
  {
    view: 'dead_letters',
    description: 'events a projection skipped after its attempts, newest first',
    sort: [{ field: 'at', direction: 'desc' }],
    columns: [time('at'), col('projection'), col('group'), col('position'), col('streamId', { width: 28 }), num('revision'), col('type', { width: 22 }), num('attempts'), col('error', { width: 48 })],
    filters: { projection: { field: 'projection' } },
  },
];

/** Every filter option any view accepts (the export command declares them all and refuses the ones a view does not take). */
export const FILTER_OPTIONS: readonly string[] = [...new Set(EXPORT_SPECS.flatMap((spec) => Object.keys(spec.filters)))];

export function exportSpec(view: string): ExportSpec {
  const spec = EXPORT_SPECS.find((candidate) => candidate.view === view);
  if (!spec) throw usageError(`unknown view ${JSON.stringify(view)}; views: ${EXPORT_SPECS.map((candidate) => candidate.view).join(', ')}`);
  return spec;
}

export interface FilterInput {
  /** Values by option name. */
  readonly options: Readonly<Record<string, string | undefined>>;
  readonly from?: string;
  readonly to?: string;
}

/** The read store filter for the given options; a filter the view does not take, or a bad value, is a usage error. */
export function filterFor(spec: ExportSpec, input: FilterInput): ViewFilter {
  const filter: Record<string, FilterValue | FieldOperators> = {};
  for (const [option, value] of Object.entries(input.options)) {
    if (value === undefined) continue;
    const definition = spec.filters[option];
    if (!definition) {
      const taken = Object.keys(spec.filters).map((name) => `--${name}`);
      throw usageError(`--${option} does not apply to view ${spec.view}${taken.length > 0 ? ` (it takes ${[...taken, ...(spec.range ? ['--from', '--to'] : [])].join(', ')})` : spec.range ? ' (it takes --from, --to)' : ' (it takes no filters)'}`);
    }
    if (value.trim() === '') throw usageError(`--${option} is empty`);
    if (definition.values && !definition.values.includes(value)) throw usageError(`--${option} must be one of ${definition.values.join(', ')}; got ${JSON.stringify(value)}`);
    filter[definition.field] = value === definition.noneValue ? null : value;
  }
  if (input.from !== undefined || input.to !== undefined) {
    if (!spec.range) throw usageError(`--from/--to do not apply to view ${spec.view}`);
    const range: { $gte?: string; $lt?: string } = {};
    if (input.from !== undefined) range.$gte = bound('--from', input.from, spec.range.unit);
    if (input.to !== undefined) range.$lt = bound('--to', input.to, spec.range.unit);
    filter[spec.range.field] = range;
  }
  return filter;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A time as the views store it (`toISOString`, so strings compare as times), or a day `YYYY-MM-DD`. */
function bound(option: string, value: string, unit: 'time' | 'day'): string {
  const time = ISO_TIME.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) throw usageError(`${option} must be an ISO-8601 date or time such as 2026-03-01 or 2026-03-01T08:00:00Z; got ${JSON.stringify(value)}`);
  const iso = time.toISOString();
  return unit === 'day' ? iso.slice(0, 10) : iso;
}

/** A view's CSV and XLSX rows: the sheet it shares with the HTTP exports, or one row per document from its columns. */
export function sheetOf(spec: ExportSpec): SheetSpec<ViewDocument> {
  const columns = spec.columns ?? [];
  const sheet = spec.sheet ?? {
    sheet: spec.view,
    columns: columns.map((column) => ({ header: column.header, kind: column.kind ?? (column.numeric === true ? 'integer' : 'text'), width: column.width })),
    rows: (doc: ViewDocument) => [columns.map((column) => valueAt(doc, column.field))],
  };
  return { ...(sheet as SheetSpec<ViewDocument>), sheet: spec.view };
}

/** The value at a dotted path, or undefined. */
export function valueAt(doc: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
