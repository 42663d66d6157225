import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = join(process.cwd(), 'dist/src/main.js');
const ADMIN_KEY = 'tls-admin-key-0123456789';

interface Run {
  readonly child: ChildProcess;
  output: string;
  errors: string;
}

/** The built service (`npm start`'s command) with this environment; stdout and stderr kept. */
function run(dataDir: string, env: Record<string, string>): Run {
  const { MONGODB_URL: _m, EVENTSTORE_URL: _e, JEST_WORKER_ID: _j, ...inherited } = process.env;
  const child = spawn(process.execPath, [main], { env: { ...inherited, NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: '0', JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, ...env } });
  const state: Run = { child, output: '', errors: '' };
  child.stdout!.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (state.errors += chunk.toString()));
  return state;
}

async function listeningUrl(service: Run): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const match = /listening on (https?:\/\/[^\s"]+\/api)/.exec(service.output);
    if (match) return match[1];
    if (service.child.exitCode !== null) throw new Error(`the service exited: ${service.errors}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the service did not say where it listens: ${service.output}`);
}

function exited(service: Run): Promise<number | null> {
  return new Promise((resolve) => (service.child.exitCode !== null ? resolve(service.child.exitCode) : service.child.once('exit', (code) => resolve(code))));
}

function fetchStatus(url: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const onResponse = (response: import('node:http').IncomingMessage) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    };
    const request = url.startsWith('https:') ? httpsGet(url, { ca }, onResponse) : httpGet(url, onResponse);
    request.on('error', reject);
  });
}

describe('TLS: JXC_TLS_CERT and JXC_TLS_KEY (the built service, a self-signed certificate made here)', () => {
  let dir: string;
  let cert: string;
  let key: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jxc-tls-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    // node:crypto cannot write an X.509 certificate; openssl (present here) can.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS on HOST (127.0.0.1 by default), says so in the start line, and a client trusting the certificate gets 200', async () => {
    const service = run(join(dir, 'data'), { JXC_TLS_CERT: cert, JXC_TLS_KEY: key });
    try {
      const url = await listeningUrl(service);
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api$/);
      const health = await fetchStatus(`${url}/health`, readFileSync(cert));
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: expect.any(String) });
      // Plain HTTP on the same port is not served.
      await expect(fetchStatus(`${url.replace('https:', 'http:')}/health`)).rejects.toThrow();
      // A client that does not trust the self-signed certificate refuses it.
      await expect(fetchStatus(`${url}/health`)).rejects.toThrow(/self-signed|self signed/);
    } finally {
      service.child.kill('SIGTERM');
      await exited(service);
    }
  });

  it('serves plain HTTP without TLS files, says http, and warns about a data directory others may read', async () => {
    const dataDir = join(dir, 'plain');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const service = run(dataDir, {});
    try {
      const url = await listeningUrl(service);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
      expect((await fetchStatus(`${url}/health`)).status).toBe(200);
      expect(`${service.output}${service.errors}`).toContain(`data directory ${dataDir} is mode 0755, open to other users: chmod 700 ${dataDir}`);
      // The files the service created are private even in that directory.
      expect(statSync(join(dataDir, 'events.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      service.child.kill('SIGTERM');
      await exited(service);
    }
  });

  it.each([
    [{ JXC_TLS_CERT: 'CERT' }, 'jxc: invalid configuration: JXC_TLS_CERT and JXC_TLS_KEY go together: JXC_TLS_CERT is set, the other is not'],
    [{ JXC_TLS_CERT: 'MISSING', JXC_TLS_KEY: 'KEY' }, 'jxc: invalid configuration: JXC_TLS_CERT MISSING cannot be read (ENOENT)'],
  ])('stops with exit 1 and one line on %j', async (given, line) => {
    const paths: Record<string, string> = { CERT: cert, KEY: key, MISSING: join(dir, 'missing.pem') };
    const env = Object.fromEntries(Object.entries(given).map(([name, value]) => [name, paths[value]]));
    const service = run(join(dir, 'refused'), env);
    expect(await exited(service)).toBe(1);
    const expected = line.replace('MISSING', paths.MISSING);
    expect(service.errors.trim().split('\n')).toEqual([expected]);
  });
});
