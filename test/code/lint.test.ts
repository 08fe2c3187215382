// ESLint (typescript-eslint's recommended rules) over the whole project, as part of npm test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

test('ESLint finds no problem in src, plugins, scripts and test', { timeout: 240_000 }, async () => {
  const eslint = new ESLint({
    cwd: PROJECT_ROOT,
    overrideConfigFile: path.join(PROJECT_ROOT, 'scripts/lint/eslint.config.mjs'),
  });
  const results = await eslint.lintFiles(['src', 'plugins', 'scripts', 'test']);
  const problems = results.flatMap((r) =>
    r.messages.map(
      (m) => `${path.relative(PROJECT_ROOT, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`,
    ),
  );
  assert.ok(results.length > 200, `linted ${results.length} files`);
  assert.deepEqual(problems, []);
});

test('the lint can fail: a file with an unused variable and an explicit any is reported', async () => {
  const eslint = new ESLint({
    cwd: PROJECT_ROOT,
    overrideConfigFile: path.join(PROJECT_ROOT, 'scripts/lint/eslint.config.mjs'),
  });
  const [result] = await eslint.lintText('const unused = 1;\nexport const x: any = 2;\n', {
    filePath: path.join(PROJECT_ROOT, 'src/probe.ts'),
  });
  assert.deepEqual(result!.messages.map((m) => m.ruleId).sort(), [
    '@typescript-eslint/no-explicit-any',
    '@typescript-eslint/no-unused-vars',
  ]);
});

test('runtime code has no function over 80 lines; a tool may (scripts/ is not shipped)', async () => {
  const eslint = new ESLint({
    cwd: PROJECT_ROOT,
    overrideConfigFile: path.join(PROJECT_ROOT, 'scripts/lint/eslint.config.mjs'),
  });
  // A function of exactly `lines` lines, its signature and closing brace included.
  const body = (lines: number) =>
    `export function long(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(lines - 4)}  return n;\n}\n`;
  const rulesFor = async (filePath: string, lines: number) => {
    const [result] = await eslint.lintText(body(lines), { filePath: path.join(PROJECT_ROOT, filePath) });
    return result!.messages.map((m) => m.ruleId);
  };
  assert.deepEqual(await rulesFor('src/probe.ts', 81), ['max-lines-per-function']);
  assert.deepEqual(await rulesFor('plugins/erp-direct/probe.ts', 81), ['max-lines-per-function']);
  assert.deepEqual(await rulesFor('src/probe.ts', 80), []);
  assert.deepEqual(await rulesFor('scripts/probe.ts', 81), []);
});
