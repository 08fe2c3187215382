import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preferredLang } from '../../../../scripts/stand-ins/dev-sts/texts.js';

test('French is chosen when Accept-Language prefers it', () => {
  assert.equal(preferredLang('fr-FR,fr;q=0.9,en;q=0.8'), 'fr');
  assert.equal(preferredLang('de;q=1, fr-CA;q=0.9, en;q=0.5'), 'fr');
});

test('English is chosen when it comes first, when nothing matches, or without a header', () => {
  assert.equal(preferredLang('en-GB,fr;q=0.5'), 'en');
  assert.equal(preferredLang('de,es'), 'en');
  assert.equal(preferredLang(undefined), 'en');
  assert.equal(preferredLang('fr;q=0, en;q=0.1'), 'en');
});
