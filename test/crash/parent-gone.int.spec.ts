import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../support/service-process.js';
import { clusterHealth, eventually } from '../support/workers.js';

// dist/src/main.js (run `npm run build` first), started with an IPC channel by a parent that is then SIGKILLed (a
// jest worker killed on a timeout, a process manager that crashed): the service, or the JXC_WORKERS supervisor and
// every one of its processes, must stop by itself rather than run on with nobody left to stop it.
const ADMIN = 'parent-gone-admin-key-0123456789';
/** The graceful stop's bound (10 s drain + 20 s close), with room for a loaded machine. */
const STOPS_WITHIN_MS = 45_000;

/** A parent node process that starts the service with an IPC channel and writes its pid, then waits. */
const PARENT = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, [process.argv[1]], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
process.stdout.write(String(child.pid) + '\\n');
setInterval(() => {}, 1000);
`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startUnderParent(dataDir: string, env: Record<string, string>): Promise<{ parent: ReturnType<typeof spawn>; pid: number; url: string }> {
  const port = await freePort();
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...inherited } = process.env;
  const parent = spawn(process.execPath, ['-e', PARENT, join(process.cwd(), 'dist/src/main.js')], {
    env: { ...inherited, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString('utf8').trim())));
    parent.once('exit', () => reject(new Error('the parent exited before starting the service')));
  });
  const url = `http://127.0.0.1:${port}/api`;
  await eventually('the service answering', 60_000, async () => ((await fetch(`${url}/health`)).ok ? true : undefined));
  return { parent, pid, url };
}

describe('the process that started jxc over an IPC channel is SIGKILLed', () => {
  it('one service process stops by itself', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-parent-gone-'));
    const { parent, pid } = await startUnderParent(dataDir, {});
    try {
      parent.kill('SIGKILL');
      await eventually(`service ${pid} stopped`, STOPS_WITHIN_MS, async () => (alive(pid) ? undefined : true));
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('JXC_WORKERS=2: the supervisor stops, and its processes with it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-parent-gone-workers-'));
    const { parent, pid, url } = await startUnderParent(dataDir, { JXC_WORKERS: '2' });
    const workers: number[] = [];
    try {
      await eventually('both processes answering', 60_000, async () => {
        const seen = new Set((await Promise.all(Array.from({ length: 6 }, () => clusterHealth(url)))).map((health) => health.worker));
        return seen.size >= 2 ? true : undefined;
      });
      // The supervisor's processes: those whose parent it is (/proc/<pid>/stat, the field after the state).
      for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) workers.push(Number(entry));
        } catch {
          // gone meanwhile
        }
      }
      expect(workers).toHaveLength(2);
      parent.kill('SIGKILL');
      await eventually(`supervisor ${pid} and its processes ${workers.join(', ')} stopped`, STOPS_WITHIN_MS, async () => ([pid, ...workers].some(alive) ? undefined : true));
    } finally {
      for (const each of [pid, ...workers]) if (alive(each)) process.kill(each, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
