import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarise } from '../../../scripts/bench/profile-summary.js';

// A hand-made profile: root -> handle (self 2 ms) -> render (self 5 ms) -> escape (self 3 ms); idle 10 ms;
// handle also calls itself once (recursion must not count its time twice).
const frame = (functionName: string, url = 'file:///app/app-server.mjs', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});
const profile = {
  startTime: 0,
  endTime: 21_000,
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
    { id: 2, callFrame: frame('handle', undefined, 9), children: [3, 6] },
    { id: 3, callFrame: frame('render'), children: [4] },
    { id: 4, callFrame: frame('escape', 'file:///app/npm-ejs.js', 99) },
    { id: 5, callFrame: frame('(idle)', '') },
    { id: 6, callFrame: frame('handle', undefined, 9) },
  ],
  // Each sample 1 ms (1000 µs).
  samples: [2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 6, ...Array(10).fill(5)],
  timeDeltas: Array(21).fill(1000),
};

test('busy time leaves idle out; self time per function (same name and place merged), largest first', () => {
  const s = summarise(profile, 3, []);
  assert.equal(s.busyMs, 11);
  assert.deepEqual(
    s.top.map((f) => [f.name, f.where, f.selfMs, f.share]),
    [
      ['render', 'app-server.mjs:1', 5, 45.5],
      ['handle', 'app-server.mjs:10', 3, 27.3],
      ['escape', 'npm-ejs.js:100', 3, 27.3],
    ],
  );
});

test('self time by where the code lives: our bundle, the npm chunks, GC, idle left out', () => {
  const s = summarise(profile, 0, []);
  assert.deepEqual(s.byWhere, { 'our code': 72.7, 'npm packages': 27.3 });
});

test('inclusive time counts what a function calls, and a function nested in itself once', () => {
  const s = summarise(profile, 1, ['handle', 'render', 'missing']);
  assert.deepEqual(
    s.inclusive.map((f) => [f.name, f.ms, f.share]),
    [
      ['handle', 11, 100],
      ['render', 8, 72.7],
      ['missing', 0, 0],
    ],
  );
});
