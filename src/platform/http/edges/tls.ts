import { readFileSync } from 'node:fs';

import { ConfigError, type TlsFiles } from '../../config/config.js';

/** What NestFactory's `httpsOptions` takes: the certificate chain and its private key (PEM). */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Reads `JXC_TLS_CERT` and `JXC_TLS_KEY` at start-up. A file that cannot be read is one clear line
 * (a ConfigError: main.ts prints it and exits 1), never a stack trace.
 */
export function readTls(files: TlsFiles | undefined): TlsMaterial | undefined {
  if (files === undefined) return undefined;
  return { cert: readPem('JXC_TLS_CERT', files.certFile), key: readPem('JXC_TLS_KEY', files.keyFile) };
}

function readPem(name: string, path: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${name} ${path} cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`);
  }
  if (!content.includes('-----BEGIN ')) throw new ConfigError(`${name} ${path} is not a PEM file (no -----BEGIN line)`);
  return content;
}
