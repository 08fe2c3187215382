import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signCopyRequest, verifyCopyRequest } from '../../src/copies/copy-token.js';

const secrets = ['a-copies-secret-of-at-least-32-characters!!'];
const now = new Date('2026-12-18T14:00:00Z');

test('a copy token is accepted for exactly the method, path and body it was made for, within a minute', () => {
  const token = signCopyRequest(secrets, 'POST', '/internal/copy/drafts/take', '{"user":"frank"}', now);
  assert.equal(verifyCopyRequest(token, secrets, 'POST', '/internal/copy/drafts/take', '{"user":"frank"}', now), true);
  assert.equal(
    verifyCopyRequest(token, secrets, 'POST', '/internal/copy/drafts/take', '{"user":"alice"}', now),
    false,
    'another body',
  );
  assert.equal(
    verifyCopyRequest(token, secrets, 'POST', '/internal/copy/burst', '{"user":"frank"}', now),
    false,
    'another path',
  );
  assert.equal(
    verifyCopyRequest(token, secrets, 'GET', '/internal/copy/drafts/take', '{"user":"frank"}', now),
    false,
    'another method',
  );
  assert.equal(
    verifyCopyRequest(
      token,
      ['another-secret-of-at-least-32-characters!!!'],
      'POST',
      '/internal/copy/drafts/take',
      '{"user":"frank"}',
      now,
    ),
    false,
    'another secret',
  );
  assert.equal(
    verifyCopyRequest(
      token,
      secrets,
      'POST',
      '/internal/copy/drafts/take',
      '{"user":"frank"}',
      new Date(now.getTime() + 61_000),
    ),
    false,
    'expired',
  );
  assert.equal(verifyCopyRequest('', secrets, 'GET', '/internal/copy/burst', '', now), false);
});

test('during a rotation a token signed with the old secret is still accepted', () => {
  const token = signCopyRequest(['old-secret-of-at-least-32-characters-long'], 'GET', '/internal/copy/burst', '', now);
  assert.equal(
    verifyCopyRequest(
      token,
      ['new-secret-of-at-least-32-characters-long', 'old-secret-of-at-least-32-characters-long'],
      'GET',
      '/internal/copy/burst',
      '',
      now,
    ),
    true,
  );
});

test('a token that claims to live longer than a minute is refused', () => {
  const token = signCopyRequest(secrets, 'GET', '/internal/copy/burst', '', new Date(now.getTime() + 3_600_000));
  assert.equal(verifyCopyRequest(token, secrets, 'GET', '/internal/copy/burst', '', now), false);
});
