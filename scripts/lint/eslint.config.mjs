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
);
