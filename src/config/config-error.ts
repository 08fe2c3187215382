/** Every configuration problem found at boot, reported together so an operator fixes them in one go. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Formats a zod issue path as the dotted key an operator would write in JSON. */
export function keyOf(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  const parts = path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)));
  const joined = parts.reduce((acc, part) => (part.startsWith('[') ? acc + part : acc ? `${acc}.${part}` : part), '');
  return prefix && joined ? `${prefix}.${joined}` : prefix || joined || '(root)';
}
