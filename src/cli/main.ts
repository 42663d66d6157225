#!/usr/bin/env node
// `jxc` (npm run jxc -- <command>): operations on the stores the service is configured with.
import { consoleOutput } from './output.js';
import { run } from './program.js';

// `jxc export ... | head`: a reader that goes away is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await run(process.argv.slice(2), consoleOutput);
// Exit once stdout has taken everything written (a store driver may keep a handle open a while).
process.stdout.write('', () => process.exit(code));
