// What `npm start` tells each app about e-mail: the dev mail catcher, the weekly reminder on ONE copy,
// links to the URL people type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appEnvironment, DEV_MAIL_CATCHER, type StackTarget } from '../../scripts/dev/app-environment.js';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config-schema.js';
import { loadRawConfig } from '../../src/config/load-config.js';
import { buildContainer } from '../../src/container/plugin-loader.js';
import { isMailConfigured } from '../../src/mail/mail-settings.js';

async function mailOf(stack: StackTarget, app: 'onprem' | 'cloud'): Promise<AppConfig['mail']> {
  const env = appEnvironment(stack, app);
  const raw = loadRawConfig({ target: env.TIMESHEET_TARGET, environment: 'development', env });
  return (await buildContainer(raw)).get<AppConfig>(APP_CONFIG).mail;
}

test('both copies send to the mail catcher, plain SMTP; the weekly reminder runs on the on-prem copy only', async () => {
  for (const app of ['onprem', 'cloud'] as const) {
    const mail = await mailOf('hybrid', app);
    assert.ok(isMailConfigured(mail), app);
    assert.deepEqual(
      [mail.host, mail.port, mail.requireTls, mail.reminders.enabled],
      ['127.0.0.1', DEV_MAIL_CATCHER.smtpPort, false, app === 'onprem'],
      app,
    );
    assert.equal(mail.appUrl, 'http://localhost:3000', `${app}: links lead to the on-prem copy, the URL people type`);
  }
});

test('the cloud copy alone links to itself', async () => {
  assert.equal((await mailOf('cloud', 'cloud')).appUrl, 'http://localhost:3001');
  assert.equal((await mailOf('cloud', 'cloud')).reminders.enabled, true, 'alone, the cloud copy runs it');
  assert.equal((await mailOf('onprem', 'onprem')).appUrl, 'http://localhost:3000');
});
