/**
 * The project's import graph for test/code/import-boundaries.test.ts, read with the TypeScript parser
 * (so a specifier in a comment or a string is never taken for an import). Every relative module
 * specifier counts:
 *   import x from './a.js'   import type { T } from './a.js'   import './a.js' (side effect)
 *   export { x } from './a.js'   export * from './a.js'   export type { T } from './a.js'
 *   import('./a.js') and `typeof import('./a.js')` with a literal specifier
 * Package specifiers are not project files and are left out. A `.js` specifier names the `.ts` source
 * (unless a `.js` file of that name exists); a target that does not exist is kept, resolved to a path,
 * so that a boundary rule still sees where it points (tsc reports it as missing).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
  /** Erased from the emitted JavaScript: `import type`, `export type`, every named binding marked `type`, `typeof import()`. */
  typeOnly: boolean;
  kind: 'import' | 'side-effect' | 'export-from' | 'dynamic' | 'type-query';
}

/** Every `.ts` file under `dir`. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    return statSync(f).isDirectory() ? walk(f) : f.endsWith('.ts') ? [f] : [];
  });
}

function resolve(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  return target.endsWith('.js') && !existsSync(target) ? target.replace(/\.js$/, '.ts') : target;
}

const allTypes = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>) =>
  elements.length > 0 && elements.every((e) => e.isTypeOnly);

function importTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // side effect
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && allTypes(named.elements);
}

/** The relative imports of one source text (`file` names it, for resolving). */
export function edgesOfText(file: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean, kind: ImportEdge['kind']) => {
    if (!specifier || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith('.')) return;
    edges.push({ from: file, to: resolve(file, specifier.text), typeOnly, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, importTypeOnly(node.importClause), node.importClause ? 'import' : 'side-effect');
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || (!!named && allTypes(named)), 'export-from');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, 'import');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, 'dynamic');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true, 'type-query');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

export const edgesOf = (file: string): ImportEdge[] => edgesOfText(file, readFileSync(file, 'utf8'));

/** The graph of `files`: each file's outgoing edges, read once. */
export function graphOf(files: string[]): Map<string, ImportEdge[]> {
  return new Map(files.map((f) => [f, edgesOf(f)]));
}

/** Every file `entry` loads at run time (value, side-effect, re-export and literal dynamic imports), itself included. */
export function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f) || !existsSync(f)) continue;
    seen.add(f);
    stack.push(...edgesOf(f).flatMap((e) => (e.typeOnly ? [] : [e.to])));
  }
  return seen;
}

/**
 * The cycles of `graph` (each found once per depth-first search from every file, in file order),
 * following the edges `follow` keeps; each cycle as `a -> b -> a` through `name`.
 */
export function cyclesOf(
  graph: Map<string, ImportEdge[]>,
  follow: (e: ImportEdge) => boolean,
  name: (f: string) => string = (f) => f,
): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const trail: string[] = [];
  const visit = (f: string): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(f)), f].map(name).join(' -> '));
      return;
    }
    state.set(f, 'visiting');
    trail.push(f);
    for (const e of graph.get(f) ?? []) if (follow(e) && graph.has(e.to)) visit(e.to);
    trail.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) visit(f);
  return cycles;
}
