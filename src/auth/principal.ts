/**
 * The signed-in person as business code sees it, identical on-prem and in the cloud and whatever
 * identity provider vouched for them. Built once from the verified SAML claims, kept in the session
 * as plain JSON.
 */
export interface PrincipalData {
  name: string;
  displayName: string;
  roles: string[];
  idp: string;
}

export class Principal implements PrincipalData {
  /** The account name the ERP knows (e.g. `alice`). */
  readonly name: string;
  readonly displayName: string;
  readonly roles: string[];
  /** Id of the identity provider that signed the assertion (configuration `saml.idps[].id`). */
  readonly idp: string;

  constructor(data: PrincipalData) {
    this.name = data.name;
    this.displayName = data.displayName || data.name;
    this.roles = [...new Set(data.roles)];
    this.idp = data.idp;
    Object.freeze(this.roles);
  }

  isInRole(role: string): boolean {
    return this.roles.includes(role);
  }

  /** What goes into the session store: plain JSON, no methods, no claims beyond these four. */
  toJSON(): PrincipalData {
    return { name: this.name, displayName: this.displayName, roles: [...this.roles], idp: this.idp };
  }

  /** Rebuilds a principal from the session; null when the stored value is not a principal (then the session is treated as signed out). */
  static fromJSON(value: unknown): Principal | null {
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    const isString = (x: unknown): x is string => typeof x === 'string';
    if (!isString(v.name) || v.name === '' || !isString(v.displayName) || !isString(v.idp)) return null;
    if (!Array.isArray(v.roles) || !v.roles.every(isString)) return null;
    return new Principal({ name: v.name, displayName: v.displayName, roles: v.roles, idp: v.idp });
  }
}
