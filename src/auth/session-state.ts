/**
 * What the sign-in keeps in express-session before the person is signed in: the ids of the
 * AuthnRequests sent, per IdP. Living in the session store (SQL on-prem, Azure Tables in the cloud)
 * is what makes `validateInResponseTo: "always"` work when the IdP's answer reaches another instance.
 */
export interface PendingSamlRequest {
  /** IssueInstant the request was sent with (node-saml stores and compares this value). */
  value: string;
  /** ms since epoch, for expiry. */
  createdAt: number;
}

export interface SamlSessionState {
  /** idp id -> AuthnRequest ID -> pending request. One partition per IdP so IdP A cannot answer IdP B's request. */
  pending: Record<string, Record<string, PendingSamlRequest>>;
}

/**
 * What single logout needs to name this sign-in to the IdP that vouched for it (SAML core §3.7.1):
 * the NameID exactly as issued and the AuthnStatement's SessionIndex. Not personal data beyond what
 * the principal already holds; never logged.
 */
export interface SamlLogin {
  idp: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

declare module 'express-session' {
  interface SessionData {
    saml?: SamlSessionState;
    samlLogin?: SamlLogin;
  }
}

export {};
