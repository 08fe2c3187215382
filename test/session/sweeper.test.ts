import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeOnce, Sweeper } from '../../src/session/sweeper.js';

test('one sweep at a time: a second caller shares the running sweep, the next call starts a new one', async () => {
  let runs = 0;
  let release!: () => void;
  const sweeper = new Sweeper(
    () =>
      new Promise<number>((r) => {
        runs++;
        release = () => r(runs);
      }),
    0,
    () => undefined,
  );
  const a = sweeper.sweep();
  const b = sweeper.sweep();
  release();
  assert.deepEqual(await Promise.all([a, b]), [1, 1]);
  const c = sweeper.sweep();
  release();
  assert.equal(await c, 2);
});

test('stop waits for the sweep in flight and does not throw its failure', async () => {
  let fail!: (err: Error) => void;
  const sweeper = new Sweeper(
    () =>
      new Promise<number>((_r, reject) => {
        fail = reject;
      }),
    0,
    () => undefined,
  );
  const running = sweeper.sweep().catch((err: Error) => err.message);
  let stopped = false;
  const stopping = sweeper.stop().then(() => (stopped = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(stopped, false, 'still waiting for the sweep');
  fail(new Error('storage down'));
  await stopping;
  assert.equal(await running, 'storage down');
});

test('the timer sweeps on its own and reports failures to onError', async (t) => {
  const errors: string[] = [];
  let runs = 0;
  const sweeper = new Sweeper(
    async () => {
      runs++;
      throw new Error(`sweep ${runs}`);
    },
    0.01,
    (err) => errors.push((err as Error).message),
  );
  t.after(() => sweeper.stop());
  const deadline = Date.now() + 5000;
  while (errors.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(errors.slice(0, 2), ['sweep 1', 'sweep 2']);
});

test('closeOnce does the work once however often it is called', async () => {
  let closes = 0;
  const close = closeOnce(async () => void closes++);
  await Promise.all([close(), close()]);
  await close();
  assert.equal(closes, 1);
});
