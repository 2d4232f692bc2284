import { afterEach, describe, expect, it } from '@jest/globals';
import { WorkerPool, type WorkerPoolOptions } from '../../../src/biometrics/face/worker-pool.js';
import { fail, ok } from '../../../src/shared/result.js';
import type { ScriptedReply, ScriptedRequest, ScriptedWorkerData } from './fixtures/scripted-worker.js';

/** The pool's life cycle with a scripted worker: lazy start, warm-up, crashes, time-outs, back-pressure, shutdown. */

const workerUrl = new URL('./fixtures/scripted-worker.ts', import.meta.url);
const pools: WorkerPool<ScriptedRequest, ScriptedReply>[] = [];

function pool(options: Partial<WorkerPoolOptions> = {}, start: ScriptedWorkerData['start'] = 'ready') {
  const created = new WorkerPool<ScriptedRequest, ScriptedReply>({
    name: 'test',
    workerUrl,
    workerData: { start } satisfies ScriptedWorkerData,
    size: 1,
    jobTimeoutMs: 10_000,
    startTimeoutMs: 10_000,
    maxQueued: 4,
    ...options,
  });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

const threadOf = async (subject: WorkerPool<ScriptedRequest, ScriptedReply>): Promise<number> => {
  const outcome = await subject.run({ action: 'echo', value: 'who' });
  if (!outcome.ok) throw new Error(`echo failed: ${outcome.error}`);
  return outcome.value.threadId;
};

describe('the worker pool', () => {
  it('starts no thread until the first job, then answers it', async () => {
    const subject = pool();
    expect(subject.stats()).toEqual({ workers: 0, ready: 0, busy: 0, queued: 0 });
    const reply = await subject.run({ action: 'echo', value: 'hello' });
    expect(reply).toEqual(ok({ value: 'hello', threadId: expect.any(Number) }));
    expect(subject.stats()).toEqual({ workers: 1, ready: 1, busy: 0, queued: 0 });
  });

  it('starts every worker on warmUp and spreads jobs over them', async () => {
    const subject = pool({ size: 2 });
    expect(await subject.warmUp()).toEqual(ok(undefined));
    expect(subject.stats().ready).toBe(2);
    const replies = await Promise.all([
      subject.run({ action: 'wait', ms: 100 }),
      subject.run({ action: 'wait', ms: 100 }),
    ]);
    const threads = new Set(replies.map((reply) => (reply.ok ? reply.value.threadId : 0)));
    expect(threads.size).toBe(2);
  });

  it('replaces a worker that crashes, failing only the job it was running', async () => {
    const subject = pool();
    const before = await threadOf(subject);
    expect(await subject.run({ action: 'crash' })).toEqual(fail('worker_crashed'));
    const after = await threadOf(subject);
    expect(after).not.toBe(before);
    expect(subject.stats().workers).toBe(1);
  });

  it('stops a job that overruns its time-out and replaces its worker', async () => {
    const subject = pool({ jobTimeoutMs: 1500 });
    // The time-out counts from run(), so the start of the worker is kept out of it.
    await subject.warmUp();
    const before = await threadOf(subject);
    expect(await subject.run({ action: 'spin' })).toEqual(fail('timeout'));
    expect(await threadOf(subject)).not.toBe(before);
  });

  it('keeps a worker whose job merely failed', async () => {
    const subject = pool();
    const before = await threadOf(subject);
    expect(await subject.run({ action: 'fail' })).toEqual(fail('job_failed'));
    expect(await threadOf(subject)).toBe(before);
  });

  it('refuses at once when the queue is full', async () => {
    const subject = pool({ maxQueued: 1 });
    await subject.warmUp();
    const running = subject.run({ action: 'wait', ms: 300 });
    const queued = subject.run({ action: 'echo', value: 'queued' });
    expect(await subject.run({ action: 'echo', value: 'one too many' })).toEqual(fail('queue_full'));
    expect(await running).toEqual(ok({ value: 'waited', threadId: expect.any(Number) }));
    expect(await queued).toEqual(ok({ value: 'queued', threadId: expect.any(Number) }));
  });

  it('reports a worker that cannot load, and tries again on the next job', async () => {
    const failing = pool({}, 'fail');
    expect(await failing.warmUp()).toEqual(fail('start_failed'));
    expect(await failing.run({ action: 'echo', value: 'x' })).toEqual(fail('start_failed'));
    const crashing = pool({}, 'crash');
    expect(await crashing.warmUp()).toEqual(fail('start_failed'));
    const silent = pool({ startTimeoutMs: 300 }, 'never');
    expect(await silent.warmUp()).toEqual(fail('start_failed'));
    expect(silent.stats().workers).toBe(0);
  });

  it('fails waiting and running jobs on close and refuses new ones', async () => {
    const subject = pool();
    await subject.warmUp();
    const running = subject.run({ action: 'spin' });
    const queued = subject.run({ action: 'echo', value: 'late' });
    await subject.close();
    expect(await running).toEqual(fail('closed'));
    expect(await queued).toEqual(fail('closed'));
    expect(await subject.run({ action: 'echo', value: 'after' })).toEqual(fail('closed'));
    expect(subject.stats().workers).toBe(0);
  });
});
