/** The sign-in module: business code uses Principal (req.user); src/app.ts calls createAuth once. */
export { createAuth, type Auth, type CreateAuthOptions } from './create-auth.js';
export { Principal, type PrincipalData } from './principal.js';
export { requireRole, requireUser } from './require-user.js';
export { safeLocalPath } from './local-path.js';
export { CLAIM_TYPES } from './claim-types.js';
export { samlConfigSchema, type SamlConfig, type IdpConfig } from './saml-config-schema.js';
export type { RejectionReason } from './sign-in-rejection.js';
import './express-user.js';
