import { Command, CommanderError, Option } from 'commander';

import { CliError, EXIT } from './cli-error.js';
import { planExport } from './commands/export.js';
import { addImportCommand } from './commands/import.js';
import { EXPORT_SPECS, FILTER_OPTIONS } from './export/export-specs.js';
import { type ExportFormat, FORMATS } from './export/writers.js';
import { type Output } from './output.js';
import { cliConfig, openStores, type StoreNeeds, type Stores } from './stores.js';

const FILTER_HELP: Record<string, string> = {
  kind: 'sale or purchase (orders, cancellation_stats)',
  status: 'order status (orders)',
  party: 'customer or supplier id (orders)',
  owner: 'user id that placed the order (orders)',
  number: 'order number (orders)',
  cancellation: 'requested|approved|rejected|withdrawn|none (orders)',
  sku: 'product sku (stock_levels, stock_alerts)',
  warehouse: 'warehouse id (stock_levels, stock_alerts)',
  alert: 'low|high (stock_levels: also none; stock_alerts)',
  stream: 'stream id, e.g. order-SO-1 (audit_trail)',
  type: 'event type, e.g. CancellationApproved (audit_trail)',
  actor: 'user id that caused the event (audit_trail)',
  order: 'order id: its events and those made for it (audit_trail)',
  reason: 'cancellation reason (cancellation_stats)',
  'initiated-by': 'customer|company|supplier (cancellation_stats)',
  scope: 'whole|lines|remainder (cancellation_stats)',
  projection: 'view name (dead_letters)',
};

const EXAMPLES = `
Examples:
  npm run jxc -- projections rebuild orders
  npm run jxc -- projections verify
  npm run jxc -- audit verify
  npm run jxc -- export orders --format xlsx --out orders.xlsx --status placed --from 2026-03-01 --to 2026-04-01
  npm run jxc -- export audit_trail --format ndjson --order SO-1
  npm run jxc -- processes stalled
  npm run jxc -- processes retry SO-1
  npm run jxc -- backup /backups/jxc-2026-03-01
  npm run jxc -- backup verify /backups/jxc-2026-03-01
  npm run jxc -- restore /backups/jxc-2026-03-01
  npm run jxc -- keys new-master-key --out /secrets/jxc-master.key
  JXC_MASTER_KEY_FILE=/secrets/new.key JXC_MASTER_KEY_PREVIOUS_FILE=/secrets/old.key npm run jxc -- keys rotate-master-key

Stores: as the service (JXC_DATA_DIR, default ./data; EVENTSTORE_URL; MONGODB_URL).
Personal data in what a command prints are opened with the service's master key (JXC_MASTER_KEY or
JXC_MASTER_KEY_FILE, else JXC_DATA_DIR/master.key); the CLI never makes one.
Exit codes: 0 ok, 1 a check failed (differences, broken chain), 2 bad input, 3 error.`;

function camel(option: string): string {
  return option.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

// Commands are loaded when run: `jxc --help` or a refused argument should not wait for every driver.

/** What every command's action needs: the output, the stores it opens, and the global options. */
interface CommandContext {
  readonly io: Output;
  readonly withStores: (needs: StoreNeeds, work: (stores: Stores) => Promise<number>) => Promise<void>;
  readonly progress: () => boolean;
  /** The exit code of a command that opens no stores through `withStores`. */
  readonly exit: (code: number) => void;
}

function addProjectionCommands(program: Command, { io, withStores, progress }: CommandContext): void {
  const projections = program.command('projections').description('rebuild, verify or show the projected views').exitOverride();
  projections
    .command('rebuild')
    .argument('[name]', 'a projection group or a view (rebuilt with its group); all when omitted')
    .description('rebuild from the start of the log into fresh generations, then swap them in; the live views serve meanwhile')
    .action(async (name: string | undefined) => withStores({ events: true, views: true, readsLog: true }, async (stores) => (await import('./commands/projections.js')).rebuildProjections(stores, io, name, { progress: progress() })));
  projections
    .command('status')
    .argument('[name]', 'a projection group or a view (shown with its group); all when omitted')
    .description('per group its version; per view the live generation, the version it was built at, its checkpoint and lag')
    .action(async (name: string | undefined) => withStores({ events: true, views: true }, async (stores) => (await import('./commands/projections.js')).projectionsStatus(stores, io, name)));
  projections
    .command('verify')
    .argument('[name]', 'a projection group or a view; all when omitted')
    .option('--max-differences <n>', 'differences printed per group (all are counted)', '100')
    .description('replay the log into throw-away generations up to the live views\' position and diff: exit 1 on any difference')
    .action(async (name: string | undefined, options: { maxDifferences: string }) => {
      const maxReported = Number(options.maxDifferences);
      if (!Number.isInteger(maxReported) || maxReported < 0) throw new CliError(`--max-differences must be a whole number, got ${JSON.stringify(options.maxDifferences)}`, EXIT.usage);
      await withStores({ events: true, views: true, readsLog: true }, async (stores) => (await import('./commands/projections.js')).verifyProjections(stores, io, name, { progress: progress(), maxReported }));
    });
}

function addAuditCommand(program: Command, { io, withStores, progress }: CommandContext): void {
  program
    .command('audit')
    .description('the auditor\'s tools')
    .exitOverride()
    .command('verify')
    .description('recompute every stream\'s hash chain: exit 1 naming the stream, revision and position of each first broken link')
    .option('--json', 'print {ok, eventsChecked, streamsChecked, brokenAt?, breaks} as JSON')
    .action(async (options: { json?: boolean }) => withStores({ events: true, views: false, readsLog: true }, async (stores) => (await import('./commands/audit.js')).verifyAudit(stores, io, { progress: progress(), json: options.json ?? false })));
}

function addProcessCommands(program: Command, { io, withStores }: CommandContext): void {
  const processes = program.command('processes').description('processes that have a step due after a failure (the service retries them until they succeed)').exitOverride();
  processes
    .command('stalled')
    .description('list them, oldest failure first (from the read store\'s stalled_processes view)')
    .option('--json', 'print {items: [{process, orderId, sku, step, streamId, attempts, lastError, since, nextAttemptAt}]} as JSON')
    .action(async (options: { json?: boolean }) => withStores({ events: false, views: true }, async (stores) => (await import('./commands/processes.js')).listStalled(stores, io, { json: options.json ?? false })));
  processes
    .command('retry')
    .argument('<orderId>', 'the order whose process to run')
    .description("run the order's process once now, beside the service or not: exit 0 when it settled, 1 when a step still fails, 2 for an unknown order")
    .action(async (orderId: string) => {
      const command = await import('./commands/processes.js');
      command.checkOrderId(orderId);
      await withStores({ events: true, views: true }, (stores) => command.retryProcess(stores, io, orderId));
    });
}

function addExportCommand(program: Command, { io, withStores }: CommandContext): void {
  const exporter = program
    .command('export')
    .argument('<view>', `one of ${EXPORT_SPECS.map((spec) => spec.view).join(', ')}`)
    .description('stream a view to stdout or a file, page by page')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('csv'))
    .option('--out <file>', 'write to this file (default: stdout)')
    .option('--bom', 'CSV: start with a UTF-8 byte order mark (for Excel)')
    .option('--from <time>', 'from this ISO time or day, inclusive (orders: placedAt; audit_trail: occurredAt; cancellation_stats: day)')
    .option('--to <time>', 'up to this ISO time or day, exclusive');
  for (const name of FILTER_OPTIONS) exporter.option(`--${name} <value>`, FILTER_HELP[name] ?? `filter on ${name}`);
  exporter.addHelpText('after', `\nViews:\n${EXPORT_SPECS.map((spec) => `  ${spec.view.padEnd(20)} ${spec.description}`).join('\n')}`);
  exporter.action(async (view: string, options: Record<string, string | boolean | undefined>) => {
    const filters = {
      options: Object.fromEntries(FILTER_OPTIONS.map((name) => [name, options[camel(name)] as string | undefined])),
      from: options.from as string | undefined,
      to: options.to as string | undefined,
    };
    const exportOptions = { format: options.format as ExportFormat, out: options.out as string | undefined, filters, bom: options.bom === true };
    // Bad input is refused before any store is opened.
    planExport(view, exportOptions);
    await withStores({ events: false, views: true }, async (stores) => (await import('./commands/export.js')).exportView(stores, io, view, exportOptions));
  });
}

function addBackupCommands(program: Command, { io, progress, exit: setCode }: CommandContext): void {
  const backup = program
    .command('backup')
    .argument('<dir>', 'a new or empty directory (created with mode 0700)')
    .description('copy views.sqlite, events.sqlite and keys.sqlite consistently while the service runs (views first, then the log, then the data keys), with manifest.json; never the master key')
    .exitOverride()
    .action(async (dir: string) => {
      setCode(await (await import('./commands/backup.js')).backup(cliConfig(), io, dir, { progress: progress() }));
    });
  backup
    .command('verify')
    .argument('<dir>', 'a backup directory')
    .option('--max-differences <n>', 'differences printed per group (all are counted)', '100')
    .description("check the files against the manifest's sha256, then audit verify and projections verify on a throw-away copy: exit 1 on any failure")
    .action(async (dir: string, options: { maxDifferences: string }) => {
      const maxReported = Number(options.maxDifferences);
      if (!Number.isInteger(maxReported) || maxReported < 0) throw new CliError(`--max-differences must be a whole number, got ${JSON.stringify(options.maxDifferences)}`, EXIT.usage);
      setCode(await (await import('./commands/backup.js')).verifyBackup(io, dir, { progress: progress(), maxReported }));
    });
  program
    .command('restore')
    .argument('<dir>', 'a backup directory')
    .option('--force', 'replace the stores already in JXC_DATA_DIR')
    .description('restore a backup into JXC_DATA_DIR: refused while a service holds it, and when it has data unless --force')
    .action(async (dir: string, options: { force?: boolean }) => {
      setCode(await (await import('./commands/backup.js')).restore(cliConfig(), io, dir, { force: options.force ?? false }));
    });
}

function addKeyCommands(program: Command, { io, progress, exit: setCode }: CommandContext): void {
  const keys = program.command('keys').description('the master key that wraps the data keys of personal data').exitOverride();
  keys
    .command('new-master-key')
    .option('--out <file>', 'write it to this new file (mode 600) instead of stdout')
    .description('print a new master key (32 random bytes, base64) for JXC_MASTER_KEY or a JXC_MASTER_KEY_FILE; stores nothing')
    .action(async (options: { out?: string }) => {
      setCode((await import('./commands/keys.js')).newMasterKey(io, options));
    });
  keys
    .command('rotate-master-key')
    .description(
      're-wrap every live data key from JXC_MASTER_KEY_PREVIOUS[_FILE] to the new JXC_MASTER_KEY[_FILE]; resumable and idempotent, safe while the service runs with both keys: exit 1 while keys remain under another master key',
    )
    .action(async () => {
      setCode(await (await import('./commands/keys.js')).rotateMasterKey(cliConfig(), io, { progress: progress() }));
    });
  keys
    .command('status')
    .description('count the data keys, live and erased, by the master key that wraps them')
    .action(async () => {
      setCode(await (await import('./commands/keys.js')).keysStatus(cliConfig(), io));
    });
}

/** The `jxc` command line; `run` parses and executes it and answers the exit code. */
export async function run(argv: readonly string[], io: Output): Promise<number> {
  let code: number = EXIT.ok;
  const withStores: CommandContext['withStores'] = async (needs, work) => {
    const stores = await openStores(cliConfig(), needs);
    try {
      code = await work(stores);
    } finally {
      await stores.close();
    }
  };

  const program = new Command('jxc')
    .description('jxc operations on the configured stores: rebuild and verify projections, verify the audit log, export views')
    .option('--no-progress', 'no progress bar on stderr')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .addHelpText('after', EXAMPLES);
  const context: CommandContext = { io, withStores, progress: () => program.opts<{ progress: boolean }>().progress, exit: (exitCode) => (code = exitCode) };
  addProjectionCommands(program, context);
  addAuditCommand(program, context);
  addProcessCommands(program, context);
  addExportCommand(program, context);
  addBackupCommands(program, context);
  addKeyCommands(program, context);
  addImportCommand(program, context);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CliError) {
      io.err(`jxc: ${error.message}`);
      return error.exitCode;
    }
    io.err(`jxc: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.error;
  }
}
