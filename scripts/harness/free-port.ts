import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A port the OS says is free right now on 127.0.0.1 (bound on 0, read, released), for a process whose
 * URL must be known before it starts (Azurite, an app whose public URL the STS registers).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
