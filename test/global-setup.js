// Tests that spawn the service or a writer as a child process run the compiled build: make it current.
// Type errors do not stop the build (tsc still emits); `npm run typecheck` is the step that fails on them.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function globalSetup() {
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) console.warn(`\nbuild reported type errors (see npm run typecheck):\n${build.stdout.split('\n').slice(0, 5).join('\n')}`);
  // Node 22.1 and later keep the compiled code of the modules they load in this directory and reuse it in
  // the next process: the jest workers (started after this hook, with its environment) and the hundreds of
  // service and CLI processes the suites spawn each load the same few hundred modules again. Node 20
  // ignores the variable. It changes nothing but start-up time (the cache is checked against each file).
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'jxc-node-compile-cache');
}
