/**
 * The environment `npm start` gives each app process (scripts/dev-stack.ts): which target it is, and
 * how it meets the burst. Both copies: the on-prem copy takes the operator's `--burst` mode and
 * decides, the cloud copy follows it. One copy alone: no other copy to send anyone to, so it serves
 * everyone.
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
  };
}
