// Jest in native ESM mode (NODE_OPTIONS=--experimental-vm-modules), TypeScript compiled by @swc/jest.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        keepClassNames: true,
      },
      module: { type: 'es6' },
    }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // web/: the console's unit specs (formatting, translations); its screens are tested in a browser (test/browser).
  roots: ['<rootDir>/domain', '<rootDir>/projections', '<rootDir>/src', '<rootDir>/test', '<rootDir>/web'],
  testMatch: ['**/*.spec.ts'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.js',
  // Two workers, also on a 2-core machine: jest's default there is one (cores - 1), which runs every file
  // one after the other in a single process although most of a crash, CLI or browser suite's time is spent
  // waiting for a child process (the service, the CLI, Chromium) or a deliberate delay, not computing.
  // JEST_MAX_WORKERS or --maxWorkers still decide when given.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS) || 2,
  // The longest files first (test/slowest-first-sequencer.js), so that none is left running alone at the end.
  testSequencer: '<rootDir>/test/slowest-first-sequencer.js',
  // A worker that grew past this after a file (ESM module registries are not freed between files) is
  // replaced before the next one, rather than carrying the memory of every file it ran.
  workerIdleMemoryLimit: '1GB',
};
