import { markdown, runMonth } from './month.js';

/**
 * `node dist/scripts/worked-example/main.js [api-url]` with `JXC_ADMIN_KEY` set (the service's bootstrap admin key):
 * runs a month of a small shop against the service (default http://127.0.0.1:3000/api) and prints its journal and
 * trial balance as Markdown. `JXC_EXAMPLE_RUN` names the run (ids are suffixed with it; default: the time).
 */
const api = (process.argv[2] ?? 'http://127.0.0.1:3000/api').replace(/\/$/, '');
const key = process.env.JXC_ADMIN_KEY;
if (key === undefined || key === '') {
  process.stderr.write('worked-example: set JXC_ADMIN_KEY to the service\'s admin key\n');
  process.exit(2);
}
const run = process.env.JXC_EXAMPLE_RUN ?? new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
try {
  process.stdout.write(markdown(await runMonth(api, key, run)));
} catch (error) {
  process.stderr.write(`worked-example: ${(error as Error).message}\n`);
  process.exit(1);
}
