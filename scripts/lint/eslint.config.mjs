// ESLint for the whole project (run by npm test through test/code/lint.test.ts, and by `npm run lint`).
// typescript-eslint's recommended rules, without type information (fast enough for every test run);
// import boundaries are checked by test/code/import-boundaries.test.ts.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'bench/**', 'views/assets/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks what is deliberately unused (a destructured field left out, a callback argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Runtime code (what the two packages ship) keeps every function readable on one screen: a longer
    // one is a sign that it decides several things. Counted with its blank lines and comments, as a
    // reader sees it. Tools, stand-ins and tests are not held to it (a test's setup may be long).
    files: ['src/**/*.ts', 'plugins/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
);
