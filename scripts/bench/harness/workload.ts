/**
 * What a benchmark workload is to the harness (`npm run bench`). A workload prepares its fixtures once,
 * then offers cases; each case is one row of docs/benchmarks.md: a jxc figure, optionally beside a
 * baseline or peer measured in the same run. Register a workload with one line in `workloads/index.ts`.
 */

/** `full`: fsync before a write is acknowledged; `normal`: WAL without fsync on commit; `n/a`: no write is timed. */
export type Durability = 'full' | 'normal' | 'n/a';

export interface RunOptions {
  /** Smoke run: short runs, small enough that the whole harness finishes in under a minute. */
  readonly quick: boolean;
  /** Measured time of one timed run, for workloads that run for a duration. */
  readonly seconds: number;
  /** Untimed work before each timed run (JIT, caches, file growth). */
  readonly warmupSeconds: number;
  /** Where a workload may keep things between runs of the harness (gitignored `.bench/`). */
  readonly scratchDir: string;
}

/**
 * One way of obtaining a figure, run at least five times. `key` identifies it across cases, so a
 * baseline shared by several rows (raw SQLite under several jxc figures) is measured once.
 * A run returns the figure, or several named figures of the same run (`{ p50, p99, requestsPerSecond }`).
 */
export interface Measure {
  readonly key: string;
  /** What was measured, as a reader of the table should see it. */
  readonly label: string;
  run(options: RunOptions): Promise<number | Readonly<Record<string, number>>>;
}

export interface Target {
  /** e.g. `>= 20000` for 20k/s, `<= 10` for 10 ms. */
  readonly op: '>=' | '<=';
  readonly value: number;
  /** Which number the target applies to: the jxc figure, or the ratio to the baseline. */
  readonly on: 'figure' | 'ratio';
}

export interface BenchCase {
  /** Stable and unique inside its workload, e.g. `jxc-64-full-vs-raw`. */
  readonly name: string;
  /** What the row shows, e.g. `64 concurrent appenders`. */
  readonly title: string;
  readonly unit: string;
  readonly durability: Durability;
  readonly higherIsBetter: boolean;
  readonly subject: Measure;
  /** Picks one figure when the subject's runs return several. */
  readonly metric?: string;
  /** Baseline or peer, measured in the same harness run; the ratio is subject ÷ baseline. */
  readonly baseline?: Measure;
  readonly baselineMetric?: string;
  /** The baseline's unit when it is not the row's (`appends/s` beside `commands/s`); the ratio divides the two figures as they are. */
  readonly baselineUnit?: string;
  /** What the baseline's figure guarantees, when it is not what `durability` says of jxc's. */
  readonly baselineDurability?: string;
  readonly targets?: readonly Target[];
}

/** A line chart drawn from figures of the run: one series per measure family, x = e.g. concurrency. */
export interface ChartSpec {
  /** File name under docs/ (or the quick output folder), e.g. `benchmarks-appends.svg`. */
  readonly file: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { readonly label: string; readonly points: readonly { readonly x: number; readonly measure: string; readonly metric?: string }[] }[];
}

export interface PreparedWorkload {
  readonly cases: readonly BenchCase[];
  readonly charts?: readonly ChartSpec[];
  /** Facts learned while preparing or running (a peer's PRAGMAs, versions), printed under the workload. */
  notes(): readonly string[];
  close(): Promise<void>;
}

export interface Workload {
  /** Short, stable, used by `--only`, e.g. `appends`. */
  readonly name: string;
  readonly title: string;
  /** What the figure is limited by, from profiles: one honest paragraph. */
  readonly limits: string;
  prepare(options: RunOptions): Promise<PreparedWorkload>;
}
