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
  /** The ERP account the person books on; defaults to `name` (employees of the corporate IdP). */
  erpAccount?: string;
}

export class Principal implements PrincipalData {
  /**
   * Who this is, unique across identity providers: the account name for employees (`alice`), the
   * IdP id and the partner's name claim for contractors (`fabrikam:carol@fabrikam.example`).
   */
  readonly name: string;
  readonly displayName: string;
  readonly roles: string[];
  /** Id of the identity provider that signed the assertion (configuration `saml.idps[].id`). */
  readonly idp: string;
  /** The account the ERP knows: `name` for employees, the contractor mapping table's entry for partners. */
  readonly erpAccount: string;

  constructor(data: PrincipalData) {
    this.name = data.name;
    this.erpAccount = data.erpAccount ?? data.name;
    this.displayName = data.displayName || data.name;
    this.roles = [...new Set(data.roles)];
    this.idp = data.idp;
    Object.freeze(this.roles);
  }

  isInRole(role: string): boolean {
    return this.roles.includes(role);
  }

  /** What goes into the session store: plain JSON, no methods, no claims beyond these. */
  toJSON(): Required<PrincipalData> {
    return {
      name: this.name,
      displayName: this.displayName,
      roles: [...this.roles],
      idp: this.idp,
      erpAccount: this.erpAccount,
    };
  }

  /** Rebuilds a principal from the session; null when the stored value is not a principal (then the session is treated as signed out). */
  static fromJSON(value: unknown): Principal | null {
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    const isString = (x: unknown): x is string => typeof x === 'string';
    if (!isString(v.name) || v.name === '' || !isString(v.displayName) || !isString(v.idp)) return null;
    if (!Array.isArray(v.roles) || !v.roles.every(isString)) return null;
    // Sessions written before contractors existed carry no erpAccount: it was the name then.
    if (v.erpAccount !== undefined && (!isString(v.erpAccount) || v.erpAccount === '')) return null;
    return new Principal({
      name: v.name,
      displayName: v.displayName,
      roles: v.roles,
      idp: v.idp,
      erpAccount: v.erpAccount,
    });
  }
}
