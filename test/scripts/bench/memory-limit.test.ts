// The bench runs the app processes with a deployed replica's memory (a memory cgroup), or says why not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { openMemoryLimit } from '../../../scripts/bench/memory-limit.js';

const limitSeenByNode = (wrapped: { command: string; args: string[] }) =>
  Number(execFileSync(wrapped.command, wrapped.args, { encoding: 'utf8' }).trim());

test('--memory-limit 0: node runs as it is, and the results say there was no limit', () => {
  const limit = openMemoryLimit(0);
  assert.equal(limit.mb, null);
  assert.match(limit.reason!, /--memory-limit 0/);
  assert.deepEqual(limit.wrap(process.execPath, ['-v']), { command: process.execPath, args: ['-v'] });
});

test('a limit of 768 MiB: the wrapped node sees 768 MiB and sizes its heap from it, or the reason is given', () => {
  const limit = openMemoryLimit(768);
  try {
    const script = ['-e', 'console.log(process.constrainedMemory())'];
    if (limit.mb === null) {
      // No cgroup here (not root, or no memory controller): the bench says so in its results.
      assert.match(limit.reason!, /cgroup/);
      assert.equal(
        limitSeenByNode(limit.wrap(process.execPath, script)),
        limitSeenByNode({ command: process.execPath, args: script }),
      );
      return;
    }
    assert.equal(limit.mb, 768);
    assert.equal(limitSeenByNode(limit.wrap(process.execPath, script)), 768 * 1024 * 1024);
    const heap = ['-e', 'console.log(require("v8").getHeapStatistics().heap_size_limit)'];
    assert.ok(
      limitSeenByNode(limit.wrap(process.execPath, heap)) < limitSeenByNode({ command: process.execPath, args: heap }),
      'a smaller heap than without the limit',
    );
  } finally {
    limit.close();
  }
  for (const root of ['/sys/fs/cgroup/memory', '/sys/fs/cgroup'])
    assert.equal(existsSync(`${root}/timesheet-bench-${process.pid}`), false, 'the cgroup is removed');
});
