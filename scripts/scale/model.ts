// The scaling model of `npm run scale:simulate` (docs/scaling.md): from per-order costs measured by
// `npm run scale:measure` and throughput figures measured by `npm run bench`, what a business of 10^6, 10^7 and
// 10^8 orders needs, and where each part of one machine saturates. Pure arithmetic, no I/O: every input is a
// measured figure passed in, every assumption a named constant below, printed with the result.

/** Per-order costs, as `npm run scale:measure` writes them (.bench/scale/order-cost.json). */
export interface OrderCosts {
  /** Where the figures come from (file, date, commit, load). */
  readonly source: string;
  readonly eventsPerOrder: number;
  /** Events on the stock position streams per order line (reserve, ship, release, restock). */
  readonly stockEventsPerLine: number;
  readonly linesPerOrder: number;
  readonly requestsPerOrder: number;
  readonly logBytesPerOrder: number;
  readonly viewBytesPerOrder: Readonly<Record<string, number>>;
  /** CPU ms on the service's main thread per order (HTTP, commands, appends, inline processes). */
  readonly commandCpuMsPerOrder: number;
  /** CPU ms of the projections per order (catch-up of every group, alone in a process). */
  readonly projectionCpuMsPerOrder: number;
  /**
   * Each group rebuilt alone: log events per second (every group reads the whole log). The simulation's
   * rebuild times use these; `npm run scale:simulate` passes the CPU-time rate (log events per CPU second),
   * which other work on the machine does not skew, and the wall-clock rate beside it.
   */
  readonly rebuildEventsPerSecond: Readonly<Record<string, number>>;
  /** The same, wall-clock, as measured (under the load the source names); shown, not used for the limits. */
  readonly rebuildWallEventsPerSecond?: Readonly<Record<string, number>>;
  /** Peak RSS of the catch-up process, MB. */
  readonly projectionPeakRssMb: number;
}

/** Throughput of one machine, from docs/benchmarks.json (`npm run bench`). */
export interface Throughput {
  readonly source: string;
  /** The embedded store alone, 64 concurrent appenders, durability full (group commit: one fsync per batch). */
  readonly storeAppendsPerSecond: number;
  /** One appender, durability full: one commit and one fsync per append. */
  readonly serialCommitsPerSecond: number;
  /** Single-event commands (stock receipts) on one SKU, 64 callers: what one stock position's stream takes. */
  readonly hotStreamEventsPerSecond: number;
  /** POST /api/orders over HTTP, 64 connections. */
  readonly httpRequestsPerSecond: number;
  /** Catch-up of every view from position 0. */
  readonly projectionEventsPerSecond: number;
}

/** The assumptions. Change them here (or with the CLI's flags); they are printed with every result. */
export interface Assumptions {
  /** Order counts simulated. */
  readonly SCALES: readonly number[];
  /** Years the business takes to reach each order count (orders spread evenly over them). */
  readonly YEARS_OF_GROWTH: number;
  /** Peak rate ÷ average rate: a busy hour, a sales day (双十一). */
  readonly PEAK_FACTORS: readonly number[];
  /** Share of all order lines that name the single hottest SKU. */
  readonly HOT_SKU_SHARE: number;
  /** Usable disk of the machine, bytes. */
  readonly DISK_BYTES: number;
  /** Share of the disk the stores may fill (the rest: backups being written, VACUUM, the OS). */
  readonly DISK_FILL_LIMIT: number;
  /** Longest acceptable full rebuild (`jxc projections rebuild`, every group in turn), hours. */
  readonly REBUILD_WINDOW_HOURS: number;
  /** Memory of the machine, bytes: the views beyond it are read from disk, not from the page cache. */
  readonly MEMORY_BYTES: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  SCALES: [1_000_000, 10_000_000, 100_000_000],
  YEARS_OF_GROWTH: 5,
  PEAK_FACTORS: [10, 100],
  HOT_SKU_SHARE: 0.05,
  DISK_BYTES: 2 ** 40,
  DISK_FILL_LIMIT: 0.5,
  REBUILD_WINDOW_HOURS: 8,
  MEMORY_BYTES: 32 * 2 ** 30,
};

const ASSUMPTION_TEXT: Record<keyof Assumptions, string> = {
  SCALES: 'order counts simulated',
  YEARS_OF_GROWTH: 'years to reach each order count, orders spread evenly',
  PEAK_FACTORS: 'peak rate ÷ average rate (busy hour, sales day)',
  HOT_SKU_SHARE: 'share of all order lines on the single hottest SKU',
  DISK_BYTES: 'usable disk, bytes',
  DISK_FILL_LIMIT: 'share of the disk the stores may fill',
  REBUILD_WINDOW_HOURS: 'longest acceptable full rebuild, hours',
  MEMORY_BYTES: 'memory of the machine, bytes (views beyond it are read from disk)',
};

const SECONDS_PER_YEAR = 365 * 86_400;

export interface ScaleRow {
  readonly orders: number;
  readonly events: number;
  readonly logBytes: number;
  readonly viewBytes: Readonly<Record<string, number>>;
  readonly viewBytesTotal: number;
  /** Log + views, and the fresh generations of a full rebuild beside the live ones (2× the views). */
  readonly diskBytesDuringRebuild: number;
  /** Seconds to rebuild each group alone, and all of them in turn. */
  readonly rebuildSeconds: Readonly<Record<string, number>>;
  readonly rebuildSecondsTotal: number;
  /** All groups in turn at the wall-clock rates, when given. */
  readonly rebuildWallSecondsTotal: number | undefined;
  /** Seconds for the service's catch-up of every view from an empty views file. */
  readonly catchUpSeconds: number;
  readonly averageOrdersPerSecond: number;
  /** Orders/s at each peak factor. */
  readonly peakOrdersPerSecond: readonly number[];
  /** Events/s appended at each peak factor. */
  readonly peakEventsPerSecond: readonly number[];
}

export interface Limit {
  readonly part: string;
  /** Orders/s (whole order lives) at which it saturates. */
  readonly ordersPerSecond: number;
  readonly how: string;
}

export interface SizeLimit {
  readonly part: string;
  /** Orders in the log at which it saturates. */
  readonly orders: number;
  readonly how: string;
}

export interface Simulation {
  readonly costs: OrderCosts;
  readonly throughput: Throughput;
  readonly assumptions: Assumptions;
  readonly rows: readonly ScaleRow[];
  /** Rate limits of one machine, lowest first. */
  readonly rateLimits: readonly Limit[];
  /** Size limits of one machine, lowest first. */
  readonly sizeLimits: readonly SizeLimit[];
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

export function simulate(costs: OrderCosts, throughput: Throughput, assumptions: Assumptions = DEFAULT_ASSUMPTIONS): Simulation {
  const viewBytesPerOrder = sum(Object.values(costs.viewBytesPerOrder));
  const rows = assumptions.SCALES.map((orders): ScaleRow => {
    const events = Math.round(orders * costs.eventsPerOrder);
    const viewBytes = Object.fromEntries(Object.entries(costs.viewBytesPerOrder).map(([view, bytes]) => [view, Math.round(orders * bytes)]));
    const viewBytesTotal = sum(Object.values(viewBytes));
    const logBytes = Math.round(orders * costs.logBytesPerOrder);
    const rebuildSeconds = Object.fromEntries(Object.entries(costs.rebuildEventsPerSecond).map(([group, rate]) => [group, Math.round(events / rate)]));
    const average = orders / (assumptions.YEARS_OF_GROWTH * SECONDS_PER_YEAR);
    return {
      orders,
      events,
      logBytes,
      viewBytes,
      viewBytesTotal,
      diskBytesDuringRebuild: logBytes + 2 * viewBytesTotal,
      rebuildSeconds,
      rebuildSecondsTotal: sum(Object.values(rebuildSeconds)),
      rebuildWallSecondsTotal: costs.rebuildWallEventsPerSecond && Math.round(sum(Object.values(costs.rebuildWallEventsPerSecond).map((rate) => events / rate))),
      catchUpSeconds: Math.round(events / throughput.projectionEventsPerSecond),
      averageOrdersPerSecond: average,
      peakOrdersPerSecond: assumptions.PEAK_FACTORS.map((factor) => average * factor),
      peakEventsPerSecond: assumptions.PEAK_FACTORS.map((factor) => average * factor * costs.eventsPerOrder),
    };
  });

  const e = costs.eventsPerOrder;
  const hotEventsPerOrder = costs.linesPerOrder * assumptions.HOT_SKU_SHARE * costs.stockEventsPerLine;
  const rateLimits: Limit[] = [
    { part: 'single SQLite writer, group commit', ordersPerSecond: throughput.storeAppendsPerSecond / e, how: `store appends/s at 64 appenders (${fmt(throughput.storeAppendsPerSecond)}) ÷ events per order (${e})` },
    { part: 'single SQLite writer, one fsync per commit (callers one at a time)', ordersPerSecond: throughput.serialCommitsPerSecond / e, how: `commits/s at 1 appender, full (${fmt(throughput.serialCommitsPerSecond)}) ÷ events per order` },
    { part: 'command thread (HTTP + commands, one core)', ordersPerSecond: 1000 / costs.commandCpuMsPerOrder, how: `1,000 ms ÷ main-thread CPU ms per order (${costs.commandCpuMsPerOrder})` },
    { part: 'HTTP, measured place-order rate', ordersPerSecond: throughput.httpRequestsPerSecond / costs.requestsPerOrder, how: `POST /api/orders req/s (${fmt(throughput.httpRequestsPerSecond)}) ÷ requests per order (${costs.requestsPerOrder})` },
    { part: 'projection catch-up (every view keeps up)', ordersPerSecond: throughput.projectionEventsPerSecond / e, how: `catch-up events/s (${fmt(throughput.projectionEventsPerSecond)}) ÷ events per order` },
    { part: 'projection CPU (one core)', ordersPerSecond: 1000 / costs.projectionCpuMsPerOrder, how: `1,000 ms ÷ projection CPU ms per order (${costs.projectionCpuMsPerOrder})` },
    {
      part: `hot SKU: its stock stream, with ${pct(assumptions.HOT_SKU_SHARE)} of all lines`,
      ordersPerSecond: throughput.hotStreamEventsPerSecond / hotEventsPerOrder,
      how: `one-SKU commands/s (${fmt(throughput.hotStreamEventsPerSecond)}) ÷ (lines per order ${costs.linesPerOrder} × HOT_SKU_SHARE × stock events per line ${costs.stockEventsPerLine})`,
    },
    {
      part: 'one stock position, orders all on it',
      ordersPerSecond: throughput.hotStreamEventsPerSecond / costs.stockEventsPerLine,
      how: `one-SKU commands/s ÷ stock events per line`,
    },
  ].sort((a, b) => a.ordersPerSecond - b.ordersPerSecond);

  const diskPerOrder = costs.logBytesPerOrder + 2 * viewBytesPerOrder;
  const rebuildSecondsPerOrder = sum(Object.values(costs.rebuildEventsPerSecond).map((rate) => e / rate));
  const sizeLimits: SizeLimit[] = [
    {
      part: 'disk',
      orders: (assumptions.DISK_BYTES * assumptions.DISK_FILL_LIMIT) / diskPerOrder,
      how: `DISK_BYTES × DISK_FILL_LIMIT ÷ (log ${fmt(costs.logBytesPerOrder)} + 2 × views ${fmt(viewBytesPerOrder)} bytes per order)`,
    },
    {
      part: 'rebuild window',
      orders: (assumptions.REBUILD_WINDOW_HOURS * 3600) / rebuildSecondsPerOrder,
      how: `REBUILD_WINDOW_HOURS ÷ Σ over groups (events per order ÷ group rebuild events/s)`,
    },
    {
      part: 'every view in the page cache (soft: beyond it, reads of old rows go to disk)',
      orders: assumptions.MEMORY_BYTES / viewBytesPerOrder,
      how: `MEMORY_BYTES ÷ view bytes per order (${fmt(viewBytesPerOrder)})`,
    },
  ].sort((a, b) => a.orders - b.orders);

  return { costs, throughput, assumptions, rows, rateLimits, sizeLimits };
}

// Rounding for display only: three significant figures, thousands separated.
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function pct(share: number): string {
  return `${fmt(share * 100)}%`;
}

export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let unit = 0;
  let scaled = value;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${fmt(scaled)} ${units[unit]}`;
}

export function duration(seconds: number): string {
  if (seconds < 120) return `${fmt(seconds)} s`;
  if (seconds < 7200) return `${fmt(seconds / 60)} min`;
  if (seconds < 172_800) return `${fmt(seconds / 3600)} h`;
  return `${fmt(seconds / 86_400)} days`;
}

function count(value: number): string {
  const exponent = Math.floor(Math.log10(value));
  return Number.isInteger(exponent) && 10 ** exponent === value && exponent >= 6 ? `10^${exponent}` : fmt(value);
}

/** The simulation as Markdown: what docs/scaling.md quotes. */
export function render(simulation: Simulation): string {
  const { rows, assumptions, costs, throughput } = simulation;
  const views = Object.keys(costs.viewBytesPerOrder).sort((a, b) => costs.viewBytesPerOrder[b] - costs.viewBytesPerOrder[a]);
  const groups = Object.keys(costs.rebuildEventsPerSecond);
  const header = ['', ...rows.map((r) => `${count(r.orders)} orders`)];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table: string[][] = [
    ['events in the log', ...rows.map((r) => fmt(r.events))],
    ['event log', ...rows.map((r) => bytes(r.logBytes))],
    ...views.map((view) => [`view ${view}`, ...rows.map((r) => bytes(r.viewBytes[view]))]),
    ['all views', ...rows.map((r) => bytes(r.viewBytesTotal))],
    ['disk during a full rebuild (log + 2 × views)', ...rows.map((r) => bytes(r.diskBytesDuringRebuild))],
    ...groups.map((group) => [`rebuild of group ${group}`, ...rows.map((r) => duration(r.rebuildSeconds[group]))]),
    ['rebuild of every group, in turn', ...rows.map((r) => duration(r.rebuildSecondsTotal))],
    ...(rows.some((r) => r.rebuildWallSecondsTotal !== undefined)
      ? [['the same at the wall-clock rates measured', ...rows.map((r) => (r.rebuildWallSecondsTotal === undefined ? '—' : duration(r.rebuildWallSecondsTotal)))]]
      : []),
    ['catch-up of every view from empty (service start), at the bench rate', ...rows.map((r) => duration(r.catchUpSeconds))],
    [`average orders/s over YEARS_OF_GROWTH (${assumptions.YEARS_OF_GROWTH} years)`, ...rows.map((r) => fmt(r.averageOrdersPerSecond))],
    ...assumptions.PEAK_FACTORS.map((factor, i) => [`peak orders/s at ${factor}× (events/s)`, ...rows.map((r) => `${fmt(r.peakOrdersPerSecond[i])} (${fmt(r.peakEventsPerSecond[i])})`)]),
  ];
  const out: string[] = [];
  out.push(`Per-order costs: ${costs.source}`, `Throughput: ${throughput.source}`, '');
  out.push(line(header), line(header.map(() => '---')), ...table.map(line), '');
  out.push('Rates one machine takes (whole order lives per second), lowest first:', '', line(['part', 'orders/s', 'from']), line(['---', '---', '---']));
  for (const limit of simulation.rateLimits) out.push(line([limit.part, fmt(limit.ordersPerSecond), limit.how]));
  out.push('', 'Sizes one machine takes (orders in the log), lowest first:', '', line(['part', 'orders', 'from']), line(['---', '---', '---']));
  for (const limit of simulation.sizeLimits) out.push(line([limit.part, fmt(limit.orders), limit.how]));
  out.push('', 'Assumptions:', '');
  for (const [name, value] of Object.entries(assumptions) as Array<[keyof Assumptions, Assumptions[keyof Assumptions]]>) {
    const shown = Array.isArray(value) ? value.map((v) => fmt(v)).join(', ') : name.endsWith('_BYTES') ? `${fmt(value as number)} (${bytes(value as number)})` : fmt(value as number);
    out.push(`- ${name} = ${shown}: ${ASSUMPTION_TEXT[name]}`);
  }
  return `${out.join('\n')}\n`;
}
