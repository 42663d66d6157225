// Tests that spawn the service or a writer as a child process run the compiled build: make it current.
// Type errors do not stop the build (tsc still emits); `npm run typecheck` is the step that fails on them.
import { spawnSync } from 'node:child_process';

export default function globalSetup() {
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) console.warn(`\nbuild reported type errors (see npm run typecheck):\n${build.stdout.split('\n').slice(0, 5).join('\n')}`);
}
