/**
 * Prints the scrypt hash of a password for config/dev/directory.json (or a partner directory).
 *   npx tsx scripts/stand-ins/dev-sts/hash-password.ts 'the password'
 *   echo -n 'the password' | npx tsx scripts/stand-ins/dev-sts/hash-password.ts
 */
import { hashPassword } from './password-hash.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const password = process.argv[2] ?? (process.stdin.isTTY ? undefined : await readStdin());
if (!password) {
  console.error('usage: tsx scripts/stand-ins/dev-sts/hash-password.ts <password>   (or pipe it on stdin)');
  process.exit(2);
}
console.log(await hashPassword(password));
