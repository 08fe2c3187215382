import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The development STS's directory: people, their scrypt password hashes, their groups, and the
 * rules that turn groups into role claims (as ADFS "Send Group Membership as a Claim" rules do).
 */
const userSchema = z.object({
  /** Account name; sent as windowsaccountname and the NameID. */
  account: z.string().regex(/^[A-Za-z0-9._-]+$/),
  displayName: z.string().min(1),
  email: z.email(),
  upn: z.string().min(3),
  groups: z.array(z.string().min(1)).default([]),
  /** Sent as the preferredLanguage claim when set (`fr-FR`), as a directory attribute would be. */
  preferredLanguage: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/)
    .optional(),
  /** See password-hash.ts; make one with `tsx scripts/stand-ins/dev-sts/hash-password.ts <password>`. */
  passwordHash: z.string().startsWith('$scrypt$'),
});

export const directorySchema = z.object({
  groupRoles: z.record(z.string(), z.array(z.string().min(1))),
  users: z.array(userSchema).min(1),
});

export type DirectoryUser = z.infer<typeof userSchema>;

export class Directory {
  private readonly byLogin = new Map<string, DirectoryUser>();

  constructor(private readonly data: z.infer<typeof directorySchema>) {
    for (const u of data.users) {
      this.byLogin.set(u.account.toLowerCase(), u);
      this.byLogin.set(u.upn.toLowerCase(), u);
    }
  }

  static fromFile(file: string): Directory {
    const parsed = directorySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return new Directory(parsed.data);
  }

  /** By account name or UPN, case-insensitive (as people type them into ADFS). */
  find(login: string): DirectoryUser | undefined {
    return this.byLogin.get(login.trim().toLowerCase());
  }

  /** Roles granted through the user's groups, each once, in a stable order. */
  rolesOf(user: DirectoryUser): string[] {
    const roles = user.groups.flatMap((g) =>
      Object.hasOwn(this.data.groupRoles, g) ? (this.data.groupRoles[g] ?? []) : [],
    );
    return [...new Set(roles)];
  }

  get users(): readonly DirectoryUser[] {
    return this.data.users;
  }
}
