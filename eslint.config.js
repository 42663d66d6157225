// The dependency rule of DESIGN.md lives here: arrows point inward only (src -> projections -> domain).
// test/architecture/dependency-rule.spec.ts proves each restriction fires on a violating file.
// The function limit (60 lines) keeps src/ and domain/ readable; test/architecture/regrowth-guards.spec.ts
// proves it fires.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const relativeOnly = {
  regex: '^(?!\\.{1,2}/)',
  message: 'domain/ and projections/ are pure: no package, framework, driver or Node module imports.',
};
const intoSrc = { regex: '(^|/)src/', message: 'Arrows point inward only: nothing here may import src/.' };
const intoProjections = { regex: '(^|/)projections/', message: 'domain/ may not import projections/.' };

const purity = [
  {
    selector: 'ImportExpression',
    message: 'No dynamic imports in a pure layer.',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'No clock in a pure layer: take the time from the command context or the event.',
  },
];
const impureGlobals = [
  { name: 'process', message: 'No environment or process access in a pure layer.' },
  { name: 'require', message: 'No CommonJS require in a pure layer.' },
  { name: 'fetch', message: 'No I/O in a pure layer.' },
  { name: 'setTimeout', message: 'No timers in a pure layer.' },
  { name: 'setInterval', message: 'No timers in a pure layer.' },
  { name: 'crypto', message: 'No randomness or hashing I/O in a pure layer.' },
];
const impureProperties = [
  { object: 'Date', property: 'now', message: 'No clock in a pure layer.' },
  { object: 'Math', property: 'random', message: 'No randomness in a pure layer.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
    },
  },
  {
    files: ['domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [relativeOnly, intoSrc, intoProjections] }],
      'no-restricted-syntax': ['error', ...purity],
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error', ...impureProperties],
    },
  },
  {
    files: ['projections/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [relativeOnly, intoSrc] }],
      'no-restricted-syntax': ['error', ...purity],
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error', ...impureProperties],
    },
  },
  {
    // Controllers and DTOs use decorator metadata: the imported classes must stay value imports.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // A function longer than a screen does several things: split it by what changes together.
    files: ['src/**/*.ts', 'domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The web console (web/): browser code, React hooks called by the rules (a hook in a condition is a bug).
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Justified exceptions to the function limit go here, one file each with the reason, as
  // { files: ['src/x.ts'], rules: { 'max-lines-per-function': 'off' } }. None today.
);
