import { describe, expect, it } from '@jest/globals';

import { niceTicks, renderLineChart } from '../../scripts/bench/harness/chart-svg.js';
import { type Machine } from '../../scripts/bench/harness/machine.js';
import { renderMarkdown, type Report, toJson } from '../../scripts/bench/harness/report.js';
import { runWorkload } from '../../scripts/bench/harness/runner.js';
import { formatFigure, formatRatio, percentile, summarize } from '../../scripts/bench/harness/stats.js';
import { type BenchCase, type Measure, type RunOptions, type Workload } from '../../scripts/bench/harness/workload.js';

const options: RunOptions = { quick: true, seconds: 0.01, warmupSeconds: 0, scratchDir: '/tmp/unused' };
const machine: Machine = { cores: 2, cpuModel: 'Test CPU', node: 'v20.0.0', totalMemoryGiB: 24, os: 'Linux', loadAtStart: [0.5, 0.4, 0.3], commit: 'abc1234' };

/** A measure that returns the given figures in turn and counts its runs. */
function scripted(key: string, figures: number[]): Measure & { calls: number } {
  const measure = {
    key,
    label: key,
    calls: 0,
    run: async () => figures[measure.calls++ % figures.length],
  };
  return measure;
}

function workloadOf(cases: readonly BenchCase[]): Workload {
  return {
    name: 'fake',
    title: 'Fake workload',
    limits: 'nothing',
    prepare: async () => ({ cases, notes: () => ['a note'], close: async () => {} }),
  };
}

describe('summarize', () => {
  it('gives the median of an odd number of runs with min and max', () => {
    expect(summarize([5, 1, 9, 3, 7])).toMatchObject({ median: 5, min: 1, max: 9, runs: 5 });
  });

  it('gives the mean of the two middle runs for an even number', () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('keeps the runs in the order they were measured', () => {
    expect(summarize([3, 1, 2]).values).toEqual([3, 1, 2]);
  });

  it('refuses no runs and non-finite figures', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  it('is nearest-rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('formatting', () => {
  it('rounds figures to three significant digits with separators', () => {
    expect(formatFigure(29745.4)).toBe('29,745');
    expect(formatFigure(3.714)).toBe('3.71');
    expect(formatFigure(0.012345)).toBe('0.0123');
    expect(formatRatio(3.71)).toBe('3.7×');
    expect(formatRatio(17.4)).toBe('17×');
    expect(formatRatio(0.456)).toBe('0.46×');
  });
});

describe('runWorkload', () => {
  it('runs each measure at least five times and a baseline shared by two rows only once', async () => {
    const baseline = scripted('raw', [10]);
    const one = scripted('one', [20, 30, 40, 50, 60]);
    const two = scripted('two', [100]);
    const result = await runWorkload(
      workloadOf([
        { name: 'a', title: 'A', unit: 'ops/s', durability: 'full', higherIsBetter: true, subject: one, baseline, targets: [{ op: '>=', value: 4, on: 'ratio' }] },
        { name: 'b', title: 'B', unit: 'ops/s', durability: 'full', higherIsBetter: true, subject: two, baseline, targets: [{ op: '>=', value: 200, on: 'figure' }] },
      ]),
      options,
      3,
      () => {},
    );
    expect([one.calls, two.calls, baseline.calls]).toEqual([5, 5, 5]);
    expect(result.cases[0].subject?.summary).toMatchObject({ median: 40, min: 20, max: 60 });
    expect(result.cases[0].ratio).toBe(4);
    expect(result.cases[0].targets[0].met).toBe(true);
    expect(result.cases[1].ratio).toBe(10);
    expect(result.cases[1].targets[0].met).toBe(false);
    expect(result.notes).toEqual(['a note']);
  });

  it('reports a row whose measure fails as not measured, with no figure', async () => {
    const failing: Measure = { key: 'broken', label: 'broken peer', run: async () => Promise.reject(new Error('peer crashed')) };
    const result = await runWorkload(
      workloadOf([{ name: 'a', title: 'A', unit: 'ops/s', durability: 'full', higherIsBetter: true, subject: scripted('ok', [1]), baseline: failing }]),
      options,
      5,
      () => {},
    );
    expect(result.cases[0].subject).toBeUndefined();
    expect(result.cases[0].error).toContain('peer crashed');
  });

  it('picks a named figure when a run returns several', async () => {
    const http: Measure = { key: 'http', label: 'http', run: async () => ({ requestsPerSecond: 3000, p99: 12 }) };
    const result = await runWorkload(
      workloadOf([{ name: 'p99', title: 'p99', unit: 'ms', durability: 'full', higherIsBetter: false, subject: http, metric: 'p99' }]),
      options,
      5,
      () => {},
    );
    expect(result.cases[0].subject?.summary.median).toBe(12);
  });
});

describe('a baseline derived from another measure (store appends ÷ 3)', () => {
  it('measures the shared key once, shows each row its own label, metric and unit, and divides by the picked figure', async () => {
    let calls = 0;
    const appends: Measure = { key: 'store', label: 'store appends', run: async () => (calls++, { appendsPerSecond: 30_000, perOrder: 10_000 }) };
    const perOrder: Measure = { ...appends, label: 'store appends ÷ 3' };
    const result = await runWorkload(
      workloadOf([
        { name: 'single', title: 'single-event', unit: 'commands/s', durability: 'full', higherIsBetter: true, subject: scripted('single', [15_000]), baseline: appends, baselineMetric: 'appendsPerSecond', baselineUnit: 'appends/s', targets: [{ op: '>=', value: 0.6, on: 'ratio' }] },
        { name: 'orders', title: 'place-order', unit: 'orders/s', durability: 'full', higherIsBetter: true, subject: scripted('orders', [7_000]), baseline: perOrder, baselineMetric: 'perOrder', targets: [{ op: '>=', value: 0.6, on: 'ratio' }] },
      ]),
      options,
      5,
      () => {},
    );
    expect(calls).toBe(5);
    expect(result.cases.map((c) => c.ratio)).toEqual([0.5, 0.7]);
    expect(result.cases.map((c) => c.targets[0].met)).toEqual([false, true]);
    const markdown = renderMarkdown({ quick: false, date: '2026-12-02T00:00:00Z', command: 'npm run bench', runs: 5, seconds: 2, warmupSeconds: 0.5, machine, workloads: [result], pending: [], totalSeconds: 1 }, []);
    expect(markdown).toContain('| store appends: 30,000 appends/s | 0.50× | ratio ≥ 0.6×: **missed** |');
    expect(markdown).toContain('| store appends ÷ 3: 10,000 orders/s | 0.70× | ratio ≥ 0.6×: met |');
  });
});

describe('report', () => {
  async function report(quick: boolean): Promise<Report> {
    const result = await runWorkload(
      workloadOf([
        { name: 'a', title: '64 appenders', unit: 'appends/s', durability: 'full', higherIsBetter: true, subject: scripted('jxc', [30000]), baseline: scripted('peer', [3000]), baselineDurability: 'acknowledged before commit' },
        { name: 'b', title: 'broken', unit: 'appends/s', durability: 'full', higherIsBetter: true, subject: { key: 'x', label: 'x', run: () => Promise.reject(new Error('boom')) } },
      ]),
      options,
      5,
      () => {},
    );
    return { quick, date: '2026-11-29T00:00:00Z', command: 'npm run bench', runs: 5, seconds: 2, warmupSeconds: 0.5, machine, workloads: [result], pending: [{ name: 'order list', what: 'p99 at 1M orders.', target: 'p99 ≤ 10 ms' }], totalSeconds: 42 };
  }

  it('renders a row per case with the figure, its spread, the peer and the ratio', async () => {
    const markdown = renderMarkdown(await report(false), []);
    expect(markdown).toContain('| fake | 64 appenders | full; peer: acknowledged before commit | **30,000** appends/s [30,000–30,000] |');
    expect(markdown).toContain('| peer: 3,000 appends/s | 10× |');
    expect(markdown).toContain('| fake | broken | full | not measured: x: boom |');
    expect(markdown).toContain('2 cores (Test CPU), 24 GiB, Node v20.0.0');
    expect(markdown).toContain('**order list**');
    expect(markdown).toContain('## Adding a workload');
    expect(markdown).not.toContain('QUICK');
  });

  it('labels a quick run', async () => {
    expect(renderMarkdown(await report(true), [])).toContain('QUICK SMOKE RUN');
    expect(toJson(await report(true))).toMatchObject({ quick: true });
  });

  it('writes one JSON record per row, the unmeasured one without a figure', async () => {
    const json = toJson(await report(false)) as { records: Record<string, unknown>[] };
    expect(json.records).toHaveLength(2);
    expect(json.records[0]).toMatchObject({
      name: 'fake/a',
      unit: 'appends/s',
      durability: 'full',
      jxc: { median: 30000, min: 30000, max: 30000, runs: 5 },
      baseline: { name: 'peer', median: 3000, durability: 'acknowledged before commit' },
      ratio: 10,
    });
    expect(json.records[1]).not.toHaveProperty('jxc');
    expect(json.records[1]).toMatchObject({ notMeasured: 'x: boom' });
  });
});

describe('chart', () => {
  it('chooses round ticks from zero past the maximum', () => {
    expect(niceTicks(26418)).toEqual([0, 10000, 20000, 30000]);
    expect(niceTicks(4.2)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('draws one line and labelled point per figure, and escapes labels', () => {
    const svg = renderLineChart({
      title: 'Appends <full>',
      xLabel: 'concurrent appenders',
      yLabel: 'appends/s',
      series: [
        { label: 'jxc', points: [{ x: 1, y: 5000 }, { x: 64, y: 26000 }] },
        { label: 'peer & co', points: [{ x: 1, y: 1600 }, { x: 64, y: 2200 }] },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('26,000');
    expect(svg).toContain('Appends &lt;full&gt;');
    expect(svg).toContain('peer &amp; co');
  });
});
