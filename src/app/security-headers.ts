/** Security headers and a strict Content-Security-Policy: scripts and styles from this origin only. */
import type express from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config-schema.js';

export function installSecurityHeaders(app: express.Express, config: AppConfig): void {
  const idpOrigins = config.saml.idps.map((idp) => new URL(idp.ssoUrl).origin);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Chrome applies form-action to the redirects that follow a form post (sign-out -> IdP).
          // ... and to the other copy: a form post may end there when the window moved meanwhile.
          formAction: [
            "'self'",
            ...idpOrigins,
            ...(config.burst.otherUrl ? [new URL(config.burst.otherUrl).origin] : []),
          ],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: config.app.publicUrl.startsWith('https:'),
    }),
  );
}
