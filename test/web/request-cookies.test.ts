import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieValues } from '../../src/web/request-cookies.js';

test('every cookie of that name is returned raw, others ignored, and a bad escape does not throw', () => {
  const req = { headers: { cookie: 'lang=fr; other=1;  lang = en ; x=%E0%A4%A' } };
  assert.deepEqual(cookieValues(req, 'lang'), ['fr', 'en']);
  assert.deepEqual(cookieValues(req, 'x'), ['%E0%A4%A']);
  assert.deepEqual(cookieValues(req, 'missing'), []);
  assert.deepEqual(cookieValues({ headers: {} }, 'lang'), []);
});
