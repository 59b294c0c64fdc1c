// Lint configuration (flat config): ESLint's and typescript-eslint's recommended rules, plus a few
// rules that catch real bugs. TypeScript files are linted with type information (each file's nearest
// tsconfig.json) for the promise rules, which need to know what returns a promise; the plain
// JavaScript under scripts/ belongs to no tsconfig project and gets the rules that need no types.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Built output, installed packages, generated schemas, and YAML test data and examples.
    ignores: ['out/', 'dist/', 'node_modules/', '.cache/', 'schemas/', 'test/fixtures/', 'examples/', 'docs/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `== null` is the one loose comparison allowed: it means null or undefined.
      eqeqeq: ['error', 'smart'],
      'array-callback-return': 'error',
      'no-self-compare': 'error',
      // A leading underscore marks a parameter a signature requires but the body does not read.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // `import net = require('node:net')` is how a test patches the real module object.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
      // A switch over a union without a default case must name every member (a new kind, severity or dialect).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
