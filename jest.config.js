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
};
