import { formatFigure, formatRatio, type Summary, summarize } from './stats.js';
import { type BenchCase, type ChartSpec, type Measure, type RunOptions, type Target, type Workload } from './workload.js';

export const MIN_RUNS = 5;

export interface MeasuredSide {
  readonly label: string;
  readonly summary: Summary;
}

export interface TargetResult extends Target {
  readonly met: boolean;
}

export interface CaseResult {
  readonly case: BenchCase;
  readonly subject?: MeasuredSide;
  readonly baseline?: MeasuredSide;
  /** subject median ÷ baseline median. */
  readonly ratio?: number;
  readonly targets: readonly TargetResult[];
  /** Why this row has no figure: a run failed. Nothing is reported in its place. */
  readonly error?: string;
}

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ResolvedChart {
  readonly spec: ChartSpec;
  readonly series: readonly { readonly label: string; readonly points: readonly ChartPoint[] }[];
}

export interface WorkloadResult {
  readonly workload: Workload;
  readonly cases: readonly CaseResult[];
  readonly charts: readonly ResolvedChart[];
  readonly notes: readonly string[];
  readonly seconds: number;
  /** The workload could not even prepare; no case of it was measured. */
  readonly error?: string;
}

type RunValue = number | Readonly<Record<string, number>>;

/**
 * Measures every case of a workload: each distinct measure `runs` times, the subject's and baseline's
 * runs interleaved so that a burst of load on the machine hits both sides alike.
 */
export async function runWorkload(workload: Workload, options: RunOptions, runs: number, log: (line: string) => void): Promise<WorkloadResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let prepared;
  try {
    prepared = await workload.prepare(options);
  } catch (error) {
    return { workload, cases: [], charts: [], notes: [], seconds: elapsed(), error: describe(error) };
  }
  const values = new Map<string, RunValue[]>();
  const failures = new Map<string, string>();
  const results: CaseResult[] = [];
  try {
    for (const benchCase of prepared.cases) {
      const pending = [benchCase.subject, benchCase.baseline].filter((m): m is Measure => m !== undefined && !values.has(m.key) && !failures.has(m.key));
      for (const measure of pending) values.set(measure.key, []);
      for (let run = 0; run < Math.max(MIN_RUNS, runs) && pending.length > 0; run++) {
        for (const measure of pending) {
          if (failures.has(measure.key)) continue;
          try {
            values.get(measure.key)!.push(await measure.run(options));
          } catch (error) {
            failures.set(measure.key, describe(error));
            values.delete(measure.key);
          }
        }
      }
      const result = caseResult(benchCase, values, failures);
      results.push(result);
      log(caseLine(workload.name, result));
    }
    const charts = (prepared.charts ?? []).map((spec) => resolveChart(spec, values));
    return { workload, cases: results, charts, notes: prepared.notes(), seconds: elapsed() };
  } finally {
    await prepared.close();
  }
}

function caseResult(benchCase: BenchCase, values: Map<string, RunValue[]>, failures: Map<string, string>): CaseResult {
  const failed = [benchCase.subject, benchCase.baseline].filter((m) => m && failures.has(m.key)) as Measure[];
  if (failed.length > 0) {
    return { case: benchCase, targets: [], error: failed.map((m) => `${m.label}: ${failures.get(m.key)}`).join('; ') };
  }
  try {
    const subject = { label: benchCase.subject.label, summary: summarize(pick(values.get(benchCase.subject.key)!, benchCase.metric)) };
    const baseline = benchCase.baseline
      ? { label: benchCase.baseline.label, summary: summarize(pick(values.get(benchCase.baseline.key)!, benchCase.baselineMetric)) }
      : undefined;
    const ratio = baseline ? subject.summary.median / baseline.summary.median : undefined;
    const targets = (benchCase.targets ?? []).map((target) => {
      const value = target.on === 'figure' ? subject.summary.median : ratio;
      const met = value !== undefined && (target.op === '>=' ? value >= target.value : value <= target.value);
      return { ...target, met };
    });
    return { case: benchCase, subject, baseline, ratio, targets };
  } catch (error) {
    return { case: benchCase, targets: [], error: describe(error) };
  }
}

function pick(runs: readonly RunValue[], metric: string | undefined): number[] {
  return runs.map((value) => {
    if (typeof value === 'number') {
      if (metric !== undefined) throw new TypeError(`a run returned one number, the case asks for metric ${metric}`);
      return value;
    }
    if (metric === undefined || !(metric in value)) throw new TypeError(`a run returned ${Object.keys(value).join(', ')}; the case names ${metric ?? 'no metric'}`);
    return value[metric];
  });
}

function resolveChart(spec: ChartSpec, values: Map<string, RunValue[]>): ResolvedChart {
  return {
    spec,
    series: spec.series.map((series) => ({
      label: series.label,
      points: series.points.flatMap((point) => {
        const runs = values.get(point.measure);
        return runs ? [{ x: point.x, y: summarize(pick(runs, point.metric)).median }] : [];
      }),
    })),
  };
}

function caseLine(workload: string, result: CaseResult): string {
  const head = `${workload} · ${result.case.title} (${result.case.durability})`;
  if (result.error || !result.subject) return `${head}: NOT MEASURED — ${result.error}`;
  const { median, min, max, runs } = result.subject.summary;
  let line = `${head}: ${formatFigure(median)} ${result.case.unit} [${formatFigure(min)}–${formatFigure(max)}, ${runs} runs]`;
  if (result.baseline && result.ratio !== undefined) line += ` vs ${result.baseline.label} ${formatFigure(result.baseline.summary.median)} ${result.case.baselineUnit ?? result.case.unit} → ${formatRatio(result.ratio)}`;
  return line;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').slice(0, 4).join(' | ') : String(error);
}
