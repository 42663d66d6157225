import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The compiled CLI (jest's globalSetup builds dist/ before the tests). */
const JXC_MAIN = join(process.cwd(), 'dist/src/cli/main.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  /** stdout as bytes (an XLSX workbook written to stdout). */
  readonly bytes: Buffer;
  readonly stderr: string;
}

/**
 * Runs `jxc <args>` as a child process on the embedded stores of `dataDir` (MONGODB_URL and
 * EVENTSTORE_URL removed from its environment), without the progress bar.
 */
export function runJxc(dataDir: string, args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliRun> {
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JXC_MAIN, '--no-progress', ...args], { env: { ...env, JXC_DATA_DIR: dataDir, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jxc ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const bytes = Buffer.concat(out);
      resolve({ code, bytes, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
