// French typography, kept to one style (issue 16): the typographic apostrophe ’ everywhere, never the
// straight one, which the messages used to mix ("L'ERP" beside "n’est"); a non-breaking space before
// : ; ! ? (never a plain one, which lets the sign wrap alone to the next line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fr } from '../../src/i18n/messages-fr.js';

test('every French message writes its apostrophes as ’', () => {
  const straight = Object.entries(fr).filter(([, text]) => text.includes("'"));
  assert.deepEqual(
    straight.map(([key]) => key),
    [],
    `straight apostrophes in: ${straight.map(([k, v]) => `${k} = ${v}`).join('\n')}`,
  );
  assert.ok(Object.values(fr).some((text) => text.includes('’')));
});

test('every French message puts a non-breaking space before : ; ! and ?', () => {
  const plain = Object.entries(fr).filter(([, text]) => /\S [:;!?](\s|$)/.test(text));
  assert.deepEqual(
    plain.map(([key]) => key),
    [],
    `plain spaces in: ${plain.map(([k, v]) => `${k} = ${v}`).join('\n')}`,
  );
  assert.ok(Object.values(fr).some((text) => /\u00a0[:;!?]/.test(text)));
});
