import { type Command } from 'commander';
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Readable, Transform } from 'node:stream';

import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Output } from '../output.js';
import { progressBar } from '../progress.js';

const KINDS = ['products', 'customers', 'suppliers', 'opening-stock'] as const;
const TYPES: Readonly<Record<string, string>> = { '.csv': 'text/csv', '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

interface ImportOptions {
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly url?: string;
  readonly key?: string;
}

interface ImportReport {
  readonly rows: number;
  readonly applied: number;
  readonly unchanged: number;
  readonly errors: readonly { row: number; field: string; problem: string }[];
  readonly errorsNotListed: number;
}

/** What the command needs of the program: where it writes, whether to draw a bar, how to set the exit code. */
interface ImportContext {
  readonly io: Output;
  readonly progress: () => boolean;
  readonly exit: (code: number) => void;
}

/**
 * `jxc import <kind> <file> [--dry-run]`: sends the file to a running service's `POST /api/import/<kind>`
 * (JXC_URL, default http://127.0.0.1:$PORT/api, and an integration or admin key in JXC_API_KEY), streaming it
 * with a progress bar of the bytes sent (the service applies rows as they arrive, so it is the import's).
 * Over HTTP rather than on the stores: the service holds the embedded store's only writer, its caches and
 * per-stream locks, and the route checks the caller's role and records who imported.
 */
export function addImportCommand(program: Command, { io, progress, exit }: ImportContext): void {
  program
    .command('import')
    .argument('<kind>', KINDS.join(' | '))
    .argument('<file>', 'a .csv or .xlsx file; the first row names the columns (the fields of the matching POST)')
    .option('--dry-run', 'check every row and report what would apply; apply nothing')
    .option('--json', 'print the answer {rows, applied, unchanged, errors, errorsNotListed} as JSON')
    .option('--url <url>', 'the service, e.g. http://127.0.0.1:3000/api (default: JXC_URL, else http://127.0.0.1:$PORT/api)')
    .option('--key <key>', 'an API key with the integration (or admin) role (default: JXC_API_KEY)')
    .description('import a CSV or XLSX file into a running service: exit 0 all rows fine, 1 some rows refused (listed), 2 bad input, 3 service unreachable or failing')
    .action(async (kind: string, file: string, options: ImportOptions) => {
      exit(await importFile(io, kind, file, options, progress()));
    });
}

async function importFile(io: Output, kind: string, file: string, options: ImportOptions, showProgress: boolean): Promise<number> {
  const { url, key, type, size } = checked(kind, file, options);
  const bar = showProgress ? progressBar(`import ${kind}`, Math.max(1, Math.round(size / 1024)), process.stderr, 'KiB') : undefined;
  let sent = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      bar?.update(Math.round(sent / 1024));
      done(null, chunk);
    },
  });
  let response: Response;
  try {
    const body = Readable.toWeb(createReadStream(file).pipe(counting)) as ReadableStream<Uint8Array>;
    response = await fetch(`${url}/import/${kind}${options.dryRun ? '?dryRun=true' : ''}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': type, 'Content-Length': String(size) },
      body,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new CliError(`cannot reach the service at ${url}: ${causeOf(error)}`, EXIT.error);
  } finally {
    bar?.stop();
  }
  return report(io, response, options.json === true);
}

function checked(kind: string, file: string, options: ImportOptions): { url: string; key: string; type: string; size: number } {
  if (!(KINDS as readonly string[]).includes(kind)) throw usageError(`unknown kind ${JSON.stringify(kind)}: one of ${KINDS.join(', ')}`);
  const type = TYPES[extname(file).toLowerCase()];
  if (type === undefined) throw usageError(`${file}: a .csv or .xlsx file is expected`);
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw usageError(`cannot read ${file}: ${causeOf(error)}`);
  }
  const key = options.key ?? process.env.JXC_API_KEY;
  if (!key) throw usageError('no API key: pass --key or set JXC_API_KEY (an integration or admin key)');
  const url = (options.url ?? process.env.JXC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/api`).replace(/\/+$/, '');
  return { url, key, type, size };
}

async function report(io: Output, response: Response, json: boolean): Promise<number> {
  const text = await response.text();
  if (!response.ok) {
    const error = parsed<{ error?: { message?: string; details?: { fields?: { field: string; problems: string[] }[] } } }>(text)?.error;
    const fields = error?.details?.fields?.map(({ field, problems }) => `${field}: ${problems.join(', ')}`).join('; ');
    throw new CliError(`the service answered ${response.status}: ${error?.message ?? text.slice(0, 200)}${fields && !error?.message?.includes(fields) ? ` (${fields})` : ''}`, response.status < 500 ? EXIT.usage : EXIT.error);
  }
  const answer = parsed<ImportReport>(text);
  if (answer === undefined) throw new CliError(`the service answered something that is not an import report: ${text.slice(0, 200)}`, EXIT.error);
  if (json) io.out(JSON.stringify(answer));
  else {
    io.out(`${answer.rows} rows: ${answer.applied} applied, ${answer.unchanged} unchanged, ${answer.errors.length + answer.errorsNotListed} problems`);
    for (const { row, field, problem } of answer.errors) io.out(`row ${row}, ${field}: ${problem}`);
    if (answer.errorsNotListed > 0) io.out(`… and ${answer.errorsNotListed} more problems not listed`);
  }
  return answer.errors.length + answer.errorsNotListed > 0 ? EXIT.failed : EXIT.ok;
}

function parsed<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}
