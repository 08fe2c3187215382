// The benchmark's CPU accounting: a process tree's CPU includes its children (the cluster's
// workers), and the machine's busy time covers it. Linux only (/proc), like the figures themselves.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { machineCpuMs, measureCpu, processTreeCpuMs } from '../../../scripts/bench/cpu-usage.js';

const onLinux = process.platform === 'linux' ? false : 'reads /proc (Linux only)';

test("a process tree's CPU time includes what its child used", { skip: onLinux }, async () => {
  const before = processTreeCpuMs(process.pid)!;
  const machineBefore = machineCpuMs()!;
  // The child spins until it has used 300 ms of CPU (by its own count), says so, then idles.
  const child = spawn(
    process.execPath,
    [
      '-e',
      "const t=process.cpuUsage();while((process.cpuUsage(t).user+process.cpuUsage(t).system)<300000){}process.stdout.write('ready');setInterval(()=>{},1000)",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await once(child.stdout, 'data');
    const used = processTreeCpuMs(process.pid)! - before;
    assert.ok(used >= 250, `the tree used ${used} ms, the child alone at least 300 ms`);
    const childOnly = processTreeCpuMs(child.pid)!;
    assert.ok(childOnly >= 250 && childOnly <= used, `child ${childOnly} ms of tree ${used} ms`);
    const machineAfter = machineCpuMs()!;
    assert.ok(machineAfter.busyMs - machineBefore.busyMs >= 250, 'the machine was busy at least as long as the child');
  } finally {
    child.kill();
  }
});

test(
  'a process that does not exist has no CPU figure, and per-request figures need requests',
  { skip: onLinux },
  () => {
    assert.equal(processTreeCpuMs(2 ** 22 + 12345), null);
    assert.equal(processTreeCpuMs(undefined), null);
    const share = measureCpu(process.pid)(0);
    assert.equal(share.app_cpu_ms_per_request, null);
    assert.equal(share.rps_per_app_core, null);
  },
);
