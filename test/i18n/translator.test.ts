import { test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../src/i18n/messages-en.js';
import { fr } from '../../src/i18n/messages-fr.js';
import { formatDay, negotiateLocale, translator } from '../../src/i18n/translator.js';

test('French has exactly the English keys and the same placeholders', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en) as Array<keyof typeof en>) {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(fr[key]), names(en[key]), key);
  }
});

test('the accessible name of a cell says project and day, in each language', () => {
  assert.equal(
    translator('en')('week.cellLabel', { project: 'P-1042 Migration', day: formatDay('2026-11-16', 'en') }),
    'Hours for P-1042 Migration on Monday 16 November',
  );
  assert.equal(
    translator('fr')('week.cellLabel', { project: 'P-1042 Migration', day: formatDay('2026-11-16', 'fr') }),
    'Heures pour P-1042 Migration le lundi 16 novembre',
  );
});

test('the browser language is chosen by quality, else the default', () => {
  assert.equal(negotiateLocale('de-DE,fr;q=0.8,en;q=0.5', 'en'), 'fr');
  assert.equal(negotiateLocale('en-US,fr;q=0.9', 'fr'), 'en');
  assert.equal(negotiateLocale('de, it', 'en'), 'en');
  assert.equal(negotiateLocale('fr;q=0, en;q=0.1', 'fr'), 'en');
  assert.equal(negotiateLocale(undefined, 'fr'), 'fr');
  assert.equal(negotiateLocale('fr;q=Infinity, en;q=0.5', 'fr'), 'en', 'a quality that is not a number counts as 0');
});
