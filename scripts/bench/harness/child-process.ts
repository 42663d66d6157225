import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** What one run in a child process hands back: the workload's result and the child's peak RSS. */
export interface ChildRun<Result> {
  readonly result: Result;
  readonly peakRssMb: number;
}

const RESULT_PREFIX = 'BENCH_RESULT ';
const entry = new URL('./child-entry.js', import.meta.url);

/** Set by `npm run bench -- --cpu-prof`: every child writes a V8 CPU profile there. */
let cpuProfileDir: string | undefined;

export function profileChildrenInto(dir: string): void {
  mkdirSync(dir, { recursive: true });
  cpuProfileDir = dir;
}

/**
 * Runs `exportName(args)` of a compiled module in a fresh Node process: its own heap (so peak RSS
 * means something), its own JIT state, and its own modules (a peer's dependencies never meet jxc's).
 */
export function runInChild<Result>(module: URL, exportName: string, args: unknown): Promise<ChildRun<Result>> {
  const nodeArgs = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
  const child = spawn(process.execPath, [...nodeArgs, entry.pathname, module.href, exportName, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        const output = (stderr || stdout).trim().split('\n');
        // The error line, not the stack under it.
        const tail = output.filter((l) => /error/i.test(l) && !/^\s+at /.test(l)).slice(0, 3).join('\n') || output.slice(-6).join('\n');
        reject(new Error(`${exportName} in a child process ended with ${signal ?? `exit code ${code}`}:\n${tail}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildRun<Result>);
    });
  });
}

export { RESULT_PREFIX };
