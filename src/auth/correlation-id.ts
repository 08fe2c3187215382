import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/** pino-http gives each request an id; the sign-in pages show it so the reference finds the log lines. */
export function correlationIdOf(req: Request): string {
  const id = (req as Request & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : randomUUID();
}
