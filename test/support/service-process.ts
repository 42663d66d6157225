import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The service as `npm start` runs it (dist/src/main.js), in a child process the test can kill. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>/api` */
  readonly url: string;
}

const main = join(process.cwd(), 'dist/src/main.js');
export const START_TIMEOUT_MS = 30_000;

/** A TCP port nothing listens on now (the OS's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the service on the embedded stores in `dataDir` (MONGODB_URL and EVENTSTORE_URL removed, `extraEnv`
 * added) and waits for /api/health; fails at once if the process exits meanwhile.
 */
export async function startService(dataDir: string, adminKey: string, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  // freePort's port is free when it answers, not when the service binds it: a service another jest worker started
  // meanwhile may hold it. Then this one cannot bind and exits, and the health check may have reached the other;
  // the admin key tells them apart, and a new port is tried.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(dataDir, adminKey, extraEnv);
    if (started !== 'port-taken') return started;
    if (attempt >= 3) throw new Error('the service found its port taken three times');
  }
}

async function startOnce(dataDir: string, adminKey: string, extraEnv: Record<string, string>): Promise<ServiceProcess | 'port-taken'> {
  const port = await freePort();
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
  // With an IPC channel: if this jest worker dies without stopping it, the service stops itself (stop-with-parent.ts).
  const child = spawn(process.execPath, [main], { env: { ...env, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: adminKey, ...extraEnv }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  child.channel?.unref();
  const url = `http://127.0.0.1:${port}/api`;
  // Up to START_TIMEOUT_MS by the clock, not by a count of polls: the suites run in two jest workers
  // beside each other's services, and a start that takes 2 s on a quiet machine takes well over 10 s on a
  // loaded one. A process that exits meanwhile fails at once.
  for (const deadline = Date.now() + START_TIMEOUT_MS; ; ) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited during start-up (${child.signalCode ?? `code ${child.exitCode}`})`);
    try {
      if ((await fetch(`${url}/health`)).ok) {
        // Only this service knows this admin key (another jest worker's has its own).
        if ((await fetch(`${url}/keys`, { headers: { Authorization: `Bearer ${adminKey}` } })).status !== 401) return { child, url };
        await stopService({ child, url }, 'SIGKILL');
        return 'port-taken';
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`the service did not start within ${START_TIMEOUT_MS / 1000} s`);
}

/** Sends the signal and resolves when the process has exited (at once if it already has). */
export function stopService(service: ServiceProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return resolve();
    service.child.once('exit', () => resolve());
    service.child.kill(signal);
  });
}
