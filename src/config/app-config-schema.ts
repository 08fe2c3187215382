import { z } from 'zod';
import { samlConfigSchema } from '../auth/saml-config-schema.js';
import { burstConfigSchema } from '../burst/burst-config.js';
import { copiesConfigSchema } from '../copies/copies-config.js';
import { mailSettingsSchema } from '../mail/mail-settings.js';
import { calendarConfigSchema } from '../timesheet/work-calendar.js';
import { contrastRatio } from './colour-contrast.js';

/**
 * A colour as CSS hex (#rgb or #rrggbb): it is written into a stylesheet, so nothing else may pass
 * (no `;`, `}` or url() that could add rules), and hex is what brand guides give.
 */
const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'a colour is #rgb or #rrggbb, e.g. #0b4f8a');

/** The text colour of the pages (views/assets/app.css --ink). */
export const BRAND_INK = '#1b1f24';

const brandSchema = z
  .strictObject({
    /** Shown in the header and the title of every page. */
    company: z.string().trim().min(1).max(60).default('CONTOSO'),
    /** Header, buttons and links. Text on it is white, so it must be dark enough (contrast checked at start). */
    primaryColor: hexColour.default('#0b4f8a'),
    /** The focus ring and the skip link; dark text is written on it. */
    accentColor: hexColour.default('#ffbf47'),
  })
  .superRefine((brand, ctx) => {
    // WCAG 2.1 AA (1.4.3): 4.5:1 for normal text. White on the primary colour, the ink on the accent.
    if (contrastRatio(brand.primaryColor, '#ffffff') < 4.5) {
      ctx.addIssue({
        code: 'custom',
        path: ['primaryColor'],
        message: `white text on ${brand.primaryColor} is below 4.5:1 contrast; choose a darker colour`,
      });
    }
    if (contrastRatio(brand.accentColor, BRAND_INK) < 4.5) {
      ctx.addIssue({
        code: 'custom',
        path: ['accentColor'],
        message: `dark text on ${brand.accentColor} is below 4.5:1 contrast; choose a lighter colour`,
      });
    }
  });

/**
 * The shared part of the configuration. Each plugin validates its own section of
 * `pluginSettings` with the schema it exports (see src/container/plugin-loader.ts).
 */
export const appConfigSchema = z.object({
  target: z.string().min(1),
  environment: z.string().min(1),
  plugins: z.array(z.string().regex(/^[a-z0-9-]+$/, 'plugin names are kebab-case folder names')).min(1),
  pluginSettings: z.record(z.string(), z.unknown()).default({}),
  app: z.strictObject({
    host: z.string().min(1),
    /** The company's name and colours on every page (served as /assets/brand.css; see src/web/brand.ts). */
    brand: brandSchema.prefault({}),
    port: z.number().int().min(0).max(65535),
    /** The URL people type; used to build absolute URLs (SAML ACS, redirects). */
    publicUrl: z.url(),
    /**
     * Azure Front Door profile ids (`resource_guid`) this instance answers for: when set, a request
     * without a matching X-Azure-FDID header gets 403 (health probes excepted). Empty: no check.
     */
    frontDoorIds: z.array(z.guid("a Front Door id is the profile's resource_guid, a GUID")).default([]),
    /** express "trust proxy": false, true, a hop count or a list of addresses. */
    trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string()]),
    /** Secrets that sign the session cookie; the first signs, all verify (rotation). Development value in config/env/development.json only. */
    sessionSecrets: z.array(z.string().min(32, 'a session secret must have at least 32 characters')).min(1),
    sessionCookieName: z.string().min(1),
    sessionMaxAgeMinutes: z.number().int().min(5),
    /** "auto": Secure when the request came over TLS (as seen through trust proxy). */
    cookieSecure: z.union([z.literal('auto'), z.boolean()]),
    bodyLimit: z.string().regex(/^\d+(b|kb|mb)$/),
    /** How long static assets may be cached by browsers. */
    staticMaxAgeSeconds: z.number().int().min(0),
    /**
     * After SIGTERM: how long the instance keeps accepting requests (answering /readyz 503 and closing
     * every connection after its response) so the load balancer sees it leave before it stops listening.
     */
    shutdownDrainSeconds: z.number().min(0).max(60).default(5),
    /** Processes serving this instance's port (Node cluster): a number, or `auto` for one per core. */
    workers: z.union([z.number().int().min(1).max(64), z.literal('auto')]).default(1),
    /**
     * Writes (autosaves, saves, submits) per minute and instance: per signed-in person, and per client
     * address (generous: a whole office may come through one proxy address).
     */
    writeLimits: z
      .strictObject({
        perUserPerMinute: z.number().int().min(1).max(100_000).default(300),
        perAddressPerMinute: z.number().int().min(1).max(1_000_000).default(20_000),
      })
      .prefault({}),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
  timesheet: z.strictObject({
    maxHoursPerDay: z.number().positive().max(24),
    /** After this, the ERP context of an opened week is fetched again the next time the week is opened. */
    contextMaxAgeMinutes: z.number().int().min(1),
    /** Roles allowed to use the timesheet at all. */
    allowedRoles: z.array(z.string().min(1)).min(1),
    /** The company time zone: decides which week is "this week". */
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not a known IANA time zone'),
    /** Weekends, company holidays and expected hours per contract (src/timesheet/work-calendar.ts). */
    calendar: calendarConfigSchema.prefault({}),
  }),
  i18n: z.strictObject({
    defaultLocale: z.enum(['en', 'fr']),
  }),
  saml: samlConfigSchema,
  /** The Friday burst: when the on-prem copy sends new visitors to the cloud copy. */
  burst: burstConfigSchema.prefault({}),
  /** How the two copies keep one burst window and hand drafts to each other. */
  copies: copiesConfigSchema.prefault({}),
  metrics: z
    .strictObject({
      /** Bearer token a Prometheus scraper presents at /metrics; null = Admin users only. At least 32 characters. */
      token: z.string().min(32, 'a metrics token must have at least 32 characters').nullable().default(null),
    })
    .prefault({}),
  /** The submission outbox and its worker (src/submission/). */
  outbox: z
    .strictObject({
      /** How often each instance looks for submissions due for delivery. */
      pollIntervalSeconds: z.number().min(0.05).max(300).default(2),
      /** How long a worker holds a submission while sending it; a dead worker's lease runs out after this. */
      leaseSeconds: z.number().int().min(5).max(3600).default(60),
      batchSize: z.number().int().min(1).max(500).default(20),
      /** Attempts before a submission is given up (the person sees it and can submit again; operators can retry). */
      maxAttempts: z.number().int().min(1).max(1000).default(40),
      /** Backoff between attempts: base, doubled each time up to max (with jitter). */
      backoffBaseSeconds: z.number().min(0.01).max(3600).default(5),
      backoffMaxSeconds: z.number().min(0.01).max(86_400).default(300),
      /** How long the submit request waits for the ERP's receipt before answering "waiting for the ERP". */
      waitForReceiptMs: z.number().int().min(0).max(60_000).default(4000),
      /** Delivered and rejected submissions are deleted after this many days. */
      retentionDays: z.number().min(1).max(3650).default(30),
    })
    .prefault({}),
  /** E-mail: the SMTP relay and the weekly timesheet reminder (src/mail/). Off until mail.host is set. */
  mail: mailSettingsSchema.prefault({}),
});

export type AppConfig = z.infer<typeof appConfigSchema>;

export const APP_CONFIG = Symbol.for('contoso.AppConfig');
