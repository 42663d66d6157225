// knip: dead files, dead exports and unused dependencies (`npm run lint:dead`, part of `npm test`).
// test/architecture/regrowth-guards.spec.ts proves it reports an unused export.
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    // The HTTP service. The CLI, src/cli/main.ts, knip takes from package.json's "bin" (dist/ mapped
    // back to the source; listing it here too is flagged as redundant). Jest specs, test/global-setup.js
    // and eslint.config.js come from knip's jest and eslint plugins.
    'src/main.ts',
    // Loaded by file URL in a worker thread (projection-worker-module.ts), not imported.
    'src/platform/projection-runner/projection-worker.ts',
    // Benchmarks and the crash-test writer are run as `node dist/scripts/...`.
    'scripts/bench/*.ts',
    'scripts/bench/harness/child-entry.ts',
    'scripts/crash/*.ts',
    // The scaling measurement and simulation (docs/scaling.md), run as `node dist/scripts/scale/...`.
    'scripts/scale/*.ts',
    // The example shop adapter (docs: shop orders), run as `node dist/scripts/shop-adapter/main.js`.
    'scripts/shop-adapter/*.ts',
    // The journal's worked example (docs/journal.md), run as `node dist/scripts/worked-example/main.js`.
    'scripts/worked-example/main.ts',
  ],
  // The console's Vite config lives in web/ (npm run build:console); its plugin takes web/src/main.tsx from web/index.html.
  vite: { config: ['web/vite.config.ts'] },
  project: ['{src,domain,projections,scripts}/**/*.ts', 'test/**/*.{ts,js}', 'web/**/*.{ts,tsx}'],
  // test/support/tmpfs.ts runs the system's mount/umount, test/e2e/tls.e2e.spec.ts openssl (not npm binaries).
  ignoreBinaries: ['mount', 'umount', 'openssl'],
  // Run as node_modules/.bin/redocly by test/e2e/openapi-conformance.e2e.spec.ts (execFile of a joined path).
  // pino-pretty: loaded by name as a pino transport when stdout is a TTY (src/platform/logging/logging.ts).
  ignoreDependencies: ['@redocly/cli', 'pino-pretty'],
  // A type exported because an exported function's signature names it is not dead code. Values are
  // held to the stricter rule: an export used only in its own file is reported.
  ignoreExportsUsedInFile: { interface: true, type: true },
};

export default config;
