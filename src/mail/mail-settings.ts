import { z } from 'zod';
// A CA for the relay follows the SAML certificates' rules (src/auth/pem-sources.ts): a bad file is reported at boot.
import { certificateSource } from '../auth/saml-config-schema.js';

/**
 * The `mail` section: the SMTP relay the app sends reminders through, and when the weekly reminder
 * goes out. Mail is off until `host` is set; everything else has a default or is only required once
 * `host` is set, so a configuration without e-mail needs no `mail` key at all.
 */

/** Anything below a space (CR, LF, tab...) would let a value add a header line. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const DISPLAY_NAME_FORM = /^([^<>]*)<([^<>]+)>$/;

/** `timesheet@contoso.example` or `CONTOSO Timesheet <timesheet@contoso.example>`. */
function isMailbox(value: string): boolean {
  if (CONTROL_CHARACTERS.test(value)) return false;
  const address = DISPLAY_NAME_FORM.exec(value)?.[2] ?? value;
  return z.email().safeParse(address.trim()).success;
}

const mailbox = z
  .string()
  .trim()
  .max(320)
  .refine(isMailbox, 'an address such as timesheet@contoso.example or "CONTOSO Timesheet <timesheet@contoso.example>"');

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const mailSettingsSchema = z
  .strictObject({
    /** The SMTP relay (CONTOSO's Exchange or a submission service). null: the app sends no e-mail. */
    host: z.string().trim().min(1).nullable().default(null),
    /** 587 is message submission with STARTTLS (RFC 6409); 465 with `secure` is implicit TLS. */
    port: z.number().int().min(1).max(65535).default(587),
    /** Implicit TLS from the first byte (port 465). */
    secure: z.boolean().default(false),
    /** Refuse to send unless the server upgrades the connection with STARTTLS. Off only for the dev mail catcher. */
    requireTls: z.boolean().default(true),
    tls: z
      .strictObject({
        /** Check the server's certificate. Only a development relay may be trusted unchecked. */
        rejectUnauthorized: z.boolean().default(true),
        /** A CA certificate to trust besides the system's (PEM text or a file path), for an internal relay. */
        ca: certificateSource.nullable().default(null),
      })
      .prefault({}),
    auth: z
      .strictObject({
        user: z.string().min(1).nullable().default(null),
        /** Never logged; give it as TIMESHEET_MAIL__AUTH__PASS rather than in a file. */
        pass: z.string().min(1).nullable().default(null),
      })
      .prefault({}),
    /** The sender of every e-mail. Required once `host` is set. */
    from: mailbox.nullable().default(null),
    /** Where replies go (a helpdesk), when not to `from`. */
    replyTo: mailbox.nullable().default(null),
    /** Connection, greeting and socket inactivity timeouts of the SMTP client. */
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /**
     * The base URL people open, used for the links in e-mails (https://timesheet.contoso). Not
     * `app.publicUrl`: on the cloud copy that is the cloud address, and a reminder must lead to the
     * address people type, whichever copy sent it.
     */
    appUrl: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://timesheet.contoso' })
      .nullable()
      .default(null),
    reminders: z
      .strictObject({
        /** The weekly reminder to everyone whose current week is not booked. */
        enabled: z.boolean().default(false),
        /** ISO weekday in `timesheet.timeZone`: 1 = Monday .. 7 = Sunday. */
        weekday: z.number().int().min(1).max(7).default(5),
        /** Wall-clock time in `timesheet.timeZone`. */
        time: z.string().regex(HH_MM, 'time is HH:MM (00:00-23:59)').default('15:00'),
      })
      .prefault({}),
  })
  .superRefine((mail, ctx) => {
    // Each message names the keys to set: the aggregated ConfigError prints it after the key it is on.
    if (mail.host !== null) {
      if (mail.from === null)
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'required when mail.host is set' });
      if (mail.appUrl === null)
        ctx.addIssue({ code: 'custom', path: ['appUrl'], message: 'required when mail.host is set' });
    }
    // On the section, not on reminders.enabled: the message already names that key.
    if (mail.reminders.enabled && mail.host === null)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'mail.reminders.enabled needs mail.host, mail.from and mail.appUrl',
      });
    if (mail.auth.user !== null && mail.auth.pass === null)
      ctx.addIssue({ code: 'custom', path: ['auth', 'pass'], message: 'required when mail.auth.user is set' });
    if (mail.auth.pass !== null && mail.auth.user === null)
      ctx.addIssue({ code: 'custom', path: ['auth', 'user'], message: 'required when mail.auth.pass is set' });
  });

export type MailSettings = z.infer<typeof mailSettingsSchema>;

/** Settings with which e-mail can be sent: the schema guarantees `from` and `appUrl` once `host` is set. */
export type ConfiguredMailSettings = MailSettings & { host: string; from: string; appUrl: string };

export function isMailConfigured(settings: MailSettings): settings is ConfiguredMailSettings {
  return settings.host !== null && settings.from !== null && settings.appUrl !== null;
}
