// npm run bench [-- --quick] [--only <workload>] [--runs N] [--seconds S] [--cpu-prof]: every registered workload, written to docs/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { renderLineChart } from './harness/chart-svg.js';
import { profileChildrenInto } from './harness/child-process.js';
import { describeMachine, machineLine, roundedLoad } from './harness/machine.js';
import { renderMarkdown, type Report, toJson } from './harness/report.js';
import { MIN_RUNS, runWorkload, type WorkloadResult } from './harness/runner.js';
import { type RunOptions } from './harness/workload.js';
import { PENDING_WORKLOADS, WORKLOADS } from './workloads/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const quick = values.quick ?? false;
const runs = Math.max(MIN_RUNS, Number(values.runs ?? MIN_RUNS));
const seconds = Number(values.seconds ?? (quick ? 0.15 : 2));
const only = values.only ?? [];
const unknown = only.filter((name) => !WORKLOADS.some((w) => w.name === name));
if (unknown.length > 0) {
  console.error(`unknown workload(s): ${unknown.join(', ')}; registered: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  process.exit(2);
}
const selected = only.length > 0 ? WORKLOADS.filter((w) => only.includes(w.name)) : WORKLOADS;
// The committed figures in docs/ come only from a full run of every workload.
const outDir = join(root, quick ? '.bench/quick' : only.length > 0 ? '.bench/only' : 'docs');
const scratchDir = join(root, '.bench');
const options: RunOptions = { quick, seconds, warmupSeconds: quick ? 0.05 : 0.5, scratchDir };
if (values['cpu-prof']) profileChildrenInto(join(scratchDir, 'profiles'));

const machine = describeMachine();
const command = `npm run bench${quick ? ' -- --quick' : ''}${only.length > 0 ? `${quick ? '' : ' --'} ${only.map((o) => `--only ${o}`).join(' ')}` : ''}`;
console.log(`${quick ? 'QUICK smoke run' : 'benchmarks'}: ${machineLine(machine)}`);
console.log(`${runs} runs per figure, ${seconds} s each after ${options.warmupSeconds} s warm-up; writing to ${relative(root, outDir)}/`);
const started = performance.now();
const results: WorkloadResult[] = [];
for (const workload of selected) {
  console.log(`\n${workload.name}: ${workload.title}`);
  const result = await runWorkload(workload, options, runs, (line) => console.log(`  ${line}`));
  if (result.error) console.log(`  NOT MEASURED — ${result.error}`);
  for (const note of result.notes) console.log(`  note: ${note}`);
  results.push(result);
}
if (only.length === 0) for (const pending of PENDING_WORKLOADS) console.log(`\n${pending.name}: ${pending.what}`);
machine.loadAtEnd = roundedLoad();

const report: Report = {
  quick,
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  command,
  runs,
  seconds,
  warmupSeconds: options.warmupSeconds,
  machine,
  workloads: results,
  pending: only.length > 0 ? [] : PENDING_WORKLOADS,
  totalSeconds: (performance.now() - started) / 1000,
};
mkdirSync(outDir, { recursive: true });
const charts = results.flatMap((w) =>
  w.charts.map((chart) => {
    const subtitle = `median of ${runs} runs · ${machine.cores} cores, Node ${machine.node} · ${report.date.slice(0, 10)}${quick ? ' · QUICK SMOKE RUN' : ''}`;
    writeFileSync(join(outDir, chart.spec.file), renderLineChart({ ...chart.spec, subtitle, series: chart.series }));
    return { workload: w.workload.name, file: chart.spec.file, title: chart.spec.title };
  }),
);
const base = 'benchmarks';
writeFileSync(join(outDir, `${base}.json`), `${JSON.stringify(toJson(report), null, 2)}\n`);
writeFileSync(join(outDir, `${base}.md`), renderMarkdown(report, charts));
console.log(`\nload ${machine.loadAtStart.join('/')} at start, ${machine.loadAtEnd.join('/')} at end; ${(report.totalSeconds).toFixed(0)} s`);
console.log(`wrote ${relative(root, join(outDir, `${base}.md`))}, ${base}.json${charts.map((c) => `, ${c.file}`).join('')}`);
const failed = results.some((w) => w.error || w.cases.some((c) => c.error));
process.exit(failed ? 1 : 0);
