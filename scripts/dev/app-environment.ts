/**
 * The environment `npm start` gives each app process (scripts/dev-stack.ts): which target it is, and
 * how it meets the burst. Both copies: the on-prem copy takes the operator's `--burst` mode and
 * decides, the cloud copy follows it. One copy alone: no other copy to send anyone to, so it serves
 * everyone. Both copies send e-mail to the development mail catcher (the weekly reminder from one of them), and
 * their links lead to the address people type (the on-prem copy's, unless the cloud copy runs alone).
 */
export type StackTarget = 'hybrid' | 'onprem' | 'cloud';

export function appEnvironment(
  stack: StackTarget,
  app: 'onprem' | 'cloud',
  burstMode?: string,
): Record<string, string> {
  return {
    TIMESHEET_TARGET: app,
    ...(stack !== 'hybrid' ? { TIMESHEET_BURST__OTHER_URL: 'null' } : {}),
    ...(burstMode && app === 'onprem' ? { TIMESHEET_BURST__MODE: burstMode } : {}),
    ...mailEnvironment(stack, app),
  };
}

/** Where `npm start` runs the development mail catcher (scripts/stand-ins/mail-catcher). */
export const DEV_MAIL_CATCHER = { smtpPort: 2525, httpPort: 3400 } as const;

/**
 * The catcher speaks plain SMTP on the loopback (no development key to offer STARTTLS with). The weekly
 * reminder runs on ONE copy, as in production: the on-prem one (the cloud one when it runs alone),
 * because the two copies' stores, where "sent once" is kept, are apart.
 */
function mailEnvironment(stack: StackTarget, app: 'onprem' | 'cloud'): Record<string, string> {
  return {
    TIMESHEET_MAIL__HOST: '127.0.0.1',
    TIMESHEET_MAIL__PORT: String(DEV_MAIL_CATCHER.smtpPort),
    TIMESHEET_MAIL__REQUIRE_TLS: 'false',
    TIMESHEET_MAIL__FROM: 'CONTOSO Timesheet <timesheet@contoso.example>',
    TIMESHEET_MAIL__APP_URL: stack === 'cloud' ? 'http://localhost:3001' : 'http://localhost:3000',
    TIMESHEET_MAIL__REMINDERS__ENABLED: String(app === 'onprem' || stack === 'cloud'),
  };
}
