import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHours, parseHours } from '../../src/timesheet/hours-input.js';

const accepted: Array<[string, number | null]> = [
  ['7.5', 7.5],
  ['7,5', 7.5],
  ['7:30', 7.5],
  ['7h30', 7.5],
  ['7h30m', 7.5],
  ['7h', 7],
  ['7H', 7],
  ['0:45', 0.75],
  ['45m', 0.75],
  ['45min', 0.75],
  ['1h 15m', 1.25],
  [' 8 ', 8],
  ['.25', 0.25],
  ['24', 24],
  ['', null],
  ['   ', null],
  ['0', null],
];

for (const [input, hours] of accepted) {
  test(`"${input}" is read as ${hours === null ? 'no hours' : `${hours} h`}`, () => {
    assert.deepEqual(parseHours(input), { ok: true, hours });
  });
}

const refused: Array<[string, string]> = [
  ['abc', 'format'],
  ['-1', 'format'],
  ['7.1', 'not-quarter'],
  ['7:10', 'not-quarter'],
  ['10m', 'not-quarter'],
  ['25', 'too-large'],
  ['24:15', 'too-large'],
  ['7:75', 'format'],
  ['7h75', 'format'],
  ['m', 'format'],
  ['h', 'format'],
  ['NaN', 'format'],
  ['1e3', 'format'],
  ['7..5', 'format'],
];

for (const [input, error] of refused) {
  test(`"${input}" is refused as ${error}`, () => {
    assert.deepEqual(parseHours(input), { ok: false, error });
  });
}

test('hours are written with the decimal separator of the language', () => {
  assert.equal(formatHours(7.5, 'en-GB'), '7.5');
  assert.equal(formatHours(7.5, 'fr-FR'), '7,5');
  assert.equal(formatHours(8, 'fr-FR'), '8');
  assert.equal(formatHours(0.25, 'en-GB'), '0.25');
});
