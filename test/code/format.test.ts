// Prettier's formatting over the whole project's code, as part of npm test: a file someone forgot to
// format fails here with its name, and `npm run format` mends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as prettier from 'prettier';
import { PROJECT_ROOT } from '../../src/config/load-config.js';

const FOLDERS = ['src', 'plugins', 'scripts', 'test'];

async function codeFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    for await (const entry of fs.glob(`${folder}/**/*.{ts,mjs}`, { cwd: PROJECT_ROOT })) found.push(entry);
  }
  return found.sort();
}

async function isFormatted(relative: string): Promise<boolean> {
  const filepath = path.join(PROJECT_ROOT, relative);
  const options = await prettier.resolveConfig(filepath);
  assert.ok(options, `no Prettier configuration applies to ${relative}`);
  return prettier.check(await fs.readFile(filepath, 'utf8'), { ...options, filepath });
}

test('every code file in src, plugins, scripts and test is formatted by Prettier', { timeout: 240_000 }, async () => {
  const files = await codeFiles();
  assert.ok(files.length > 300, `checked ${files.length} files`);
  const unformatted: string[] = [];
  for (const file of files) if (!(await isFormatted(file))) unformatted.push(file);
  assert.deepEqual(unformatted, [], 'run `npm run format`');
});

test('the check can fail: the project configuration rejects double quotes and a missing semicolon', async () => {
  const options = await prettier.resolveConfig(path.join(PROJECT_ROOT, 'src/server.ts'));
  assert.equal(options?.singleQuote, true);
  const probe = { ...options, filepath: path.join(PROJECT_ROOT, 'src/probe.ts') };
  assert.equal(await prettier.check('const a = "x"\n', probe), false);
  assert.equal(await prettier.check("const a = 'x';\n", probe), true);
});
