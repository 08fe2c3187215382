/**
 * The project's own import graph, read from the sources: relative specifiers of `import ... from` and
 * `export ... from` (the boundary tests, and the Dockerfile test's "the build stage has what the build
 * imports").
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The project files a source file imports, type-only imports included (`types: false` leaves them out). */
export function importsOf(file: string, { types = true } = {}): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+'(\.[^']+)'/gms)) {
    if (!types && m[2]) continue;
    const target = path.resolve(path.dirname(file), m[3]!.replace(/\.js$/, '.ts'));
    if (existsSync(target)) out.push(target);
  }
  return out;
}

/** Every file `entry` reaches through value imports, itself included. */
export function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...importsOf(f, { types: false }));
  }
  return seen;
}
