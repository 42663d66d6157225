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

function freePort(): Promise<number> {
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
  const port = await freePort();
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
  const child = spawn(process.execPath, [main], { env: { ...env, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: adminKey, ...extraEnv }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/api`;
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited during start-up (${child.signalCode ?? `code ${child.exitCode}`})`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error('the service did not start');
}

/** Sends the signal and resolves when the process has exited (at once if it already has). */
export function stopService(service: ServiceProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return resolve();
    service.child.once('exit', () => resolve());
    service.child.kill(signal);
  });
}
