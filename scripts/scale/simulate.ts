// `npm run scale:simulate [-- --costs <order-cost.json> --bench <benchmarks.json> --rebuild-window-hours 8 ...]`:
// a business growing to 10^8 orders, from measured figures only (scripts/scale/model.ts holds the model and its
// assumptions). Per-order costs: .bench/scale/order-cost.json when `npm run scale:measure` has written one, else
// the committed scripts/scale/order-cost.json (the run docs/scaling.md cites). Throughput: docs/benchmarks.json.
// Prints Markdown; writes .bench/scale/simulation.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { type OrderCost } from './measure-order-cost.js';
import { type Assumptions, DEFAULT_ASSUMPTIONS, type OrderCosts, type Throughput, render, simulate } from './model.js';

const COMMITTED_COSTS = fileURLToPath(new URL('../../../scripts/scale/order-cost.json', import.meta.url));

interface BenchRecord {
  readonly name: string;
  readonly jxc: { readonly median: number };
}

interface BenchFile {
  readonly date: string;
  readonly machine: { readonly commit: string; readonly cpuModel: string; readonly cores: number; readonly loadAtStart: readonly number[] };
  readonly records: readonly BenchRecord[];
}

/** The model's inputs from a scale:measure result. */
export function costsFrom(cost: OrderCost, file: string): OrderCosts {
  const p = cost.perOrder;
  const stockEvents = p.eventsByCategory.stock ?? 0;
  return {
    source:
      `${file}: ${cost.orders} orders measured ${cost.date}, commit ${cost.machine.commit}, ${cost.machine.cores} cores (${cost.machine.cpuModel}), ` +
      `load ${cost.machine.loadAtStart.join(' / ')} at start and ${cost.machine.loadAtEnd?.join(' / ') ?? '?'} at end; rebuild times at each group's CPU-time rate`,
    eventsPerOrder: p.events,
    stockEventsPerLine: Math.round((stockEvents / cost.linesPerOrder) * 100) / 100,
    linesPerOrder: cost.linesPerOrder,
    requestsPerOrder: p.requests,
    logBytesPerOrder: p.logBytes,
    // Views only: SQLite's planner statistics, if an older measurement listed them, are bounded, not per order.
    viewBytesPerOrder: Object.fromEntries(Object.entries(p.viewBytes).filter(([view]) => !view.startsWith('('))),
    commandCpuMsPerOrder: p.commandCpuMs,
    projectionCpuMsPerOrder: p.projectionCpuMs,
    rebuildEventsPerSecond: Object.fromEntries(cost.rebuilds.map((r) => [r.group, r.eventsPerCpuSecond])),
    rebuildWallEventsPerSecond: Object.fromEntries(cost.rebuilds.map((r) => [r.group, r.eventsPerSecond])),
    projectionPeakRssMb: cost.catchUp.peakRssMb,
  };
}

/** The model's throughput inputs from docs/benchmarks.json (medians). */
export function throughputFrom(bench: BenchFile, file: string): Throughput {
  const median = (name: string) => {
    const record = bench.records.find((r) => r.name === name);
    if (!record) throw new Error(`${file} has no record ${name}: run npm run bench`);
    return record.jxc.median;
  };
  return {
    source: `${file}: npm run bench of ${bench.date}, commit ${bench.machine.commit}, ${bench.machine.cores} cores (${bench.machine.cpuModel}), load ${bench.machine.loadAtStart.join(' / ')} at start`,
    storeAppendsPerSecond: median('appends/jxc-64-full-vs-raw'),
    serialCommitsPerSecond: median('appends/jxc-1-full-vs-raw'),
    hotStreamEventsPerSecond: median('commands/single-event-hot'),
    httpRequestsPerSecond: median('commands/http-rate'),
    projectionEventsPerSecond: median('projections/catch-up'),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      costs: { type: 'string' },
      bench: { type: 'string', default: 'docs/benchmarks.json' },
      out: { type: 'string', default: '.bench/scale' },
      'years-of-growth': { type: 'string' },
      'hot-sku-share': { type: 'string' },
      'disk-bytes': { type: 'string' },
      'rebuild-window-hours': { type: 'string' },
      'memory-bytes': { type: 'string' },
    },
  });
  const measured = join(values.out, 'order-cost.json');
  const costsFile = values.costs ?? (existsSync(measured) ? measured : COMMITTED_COSTS);
  const costs = costsFrom(JSON.parse(readFileSync(costsFile, 'utf8')) as OrderCost, costsFile);
  const throughput = throughputFrom(JSON.parse(readFileSync(values.bench, 'utf8')) as BenchFile, values.bench);
  const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));
  const assumptions: Assumptions = {
    ...DEFAULT_ASSUMPTIONS,
    YEARS_OF_GROWTH: number(values['years-of-growth'], DEFAULT_ASSUMPTIONS.YEARS_OF_GROWTH),
    HOT_SKU_SHARE: number(values['hot-sku-share'], DEFAULT_ASSUMPTIONS.HOT_SKU_SHARE),
    DISK_BYTES: number(values['disk-bytes'], DEFAULT_ASSUMPTIONS.DISK_BYTES),
    REBUILD_WINDOW_HOURS: number(values['rebuild-window-hours'], DEFAULT_ASSUMPTIONS.REBUILD_WINDOW_HOURS),
    MEMORY_BYTES: number(values['memory-bytes'], DEFAULT_ASSUMPTIONS.MEMORY_BYTES),
  };
  for (const [name, value] of Object.entries(assumptions)) {
    if (typeof value === 'number' && !(value > 0)) throw new Error(`${name} must be a positive number, got ${value}`);
  }
  const simulation = simulate(costs, throughput, assumptions);
  process.stdout.write(render(simulation));
  mkdirSync(values.out, { recursive: true });
  const file = join(values.out, 'simulation.json');
  writeFileSync(file, `${JSON.stringify(simulation, null, 2)}\n`);
  console.log(`\nwritten: ${file}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
