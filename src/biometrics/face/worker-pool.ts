import { Worker } from 'node:worker_threads';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';

/**
 * A fixed number of worker threads that run CPU-heavy jobs (face matching) so the event loop never waits for them.
 * Workers start on first use or on warmUp(); a job that overruns its time-out has its worker terminated and replaced
 * (WebAssembly cannot be interrupted any other way); a worker that crashes is replaced; close() ends them all.
 *
 * The protocol a worker script follows: post `{type:'ready'}` once loaded (or `{type:'start_failed'}`), then answer
 * every `WorkerJob` with `{type:'reply'}` or `{type:'job_failed'}` carrying the job's id.
 */

export interface WorkerJob<Request> {
  id: number;
  request: Request;
}

export type WorkerMessage<Reply> =
  | { type: 'ready' }
  | { type: 'start_failed'; message: string }
  | { type: 'reply'; id: number; reply: Reply }
  | { type: 'job_failed'; id: number; message: string };

/** Why a job got no reply. Every one means "the verifier is unavailable" to a caller. */
export type PoolFailure = 'start_failed' | 'timeout' | 'queue_full' | 'worker_crashed' | 'job_failed' | 'closed';

export interface WorkerPoolOptions {
  /** Name in log lines. */
  name: string;
  workerUrl: URL;
  workerData: unknown;
  size: number;
  /** Longest a job may take from run() to its reply, time spent waiting in the queue included. */
  jobTimeoutMs: number;
  /** Longest a worker may take to load before it is given up. */
  startTimeoutMs: number;
  /** Jobs waiting for a free worker beyond which run() refuses at once. */
  maxQueued: number;
}

export interface PoolStats {
  workers: number;
  ready: number;
  busy: number;
  queued: number;
}

interface Pending<Request, Reply> {
  id: number;
  request: Request;
  transfer: ArrayBuffer[];
  timer: NodeJS.Timeout;
  settle: (outcome: Result<Reply, PoolFailure>) => void;
}

interface Slot<Request, Reply> {
  worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'retired';
  job?: Pending<Request, Reply>;
  startTimer?: NodeJS.Timeout;
  /** Resolves true once ready, false when the start failed. */
  started: Promise<boolean>;
  markStarted: (ready: boolean) => void;
}

export class WorkerPool<Request, Reply> {
  private readonly slots = new Set<Slot<Request, Reply>>();
  private readonly queue: Pending<Request, Reply>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly options: WorkerPoolOptions,
    private readonly logger?: Logger,
  ) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`${options.name}: pool size must be >= 1`);
  }

  /** Starts the workers now rather than on the first job; ok once every one of them has loaded. */
  async warmUp(): Promise<Result<void, 'start_failed' | 'closed'>> {
    if (this.closed) return fail('closed');
    this.fill();
    const started = await Promise.all([...this.slots].map((slot) => slot.started));
    return started.every(Boolean) ? ok(undefined) : fail('start_failed');
  }

  /** Runs one job. `transfer` buffers move to the worker: they are unusable here afterwards. */
  run(request: Request, transfer: ArrayBuffer[] = []): Promise<Result<Reply, PoolFailure>> {
    if (this.closed) return Promise.resolve(fail('closed'));
    const idle = [...this.slots].some((slot) => slot.state === 'idle');
    if (!idle && this.queue.length >= this.options.maxQueued) return Promise.resolve(fail('queue_full'));
    this.fill();
    return new Promise((resolve) => {
      const pending: Pending<Request, Reply> = {
        id: this.nextId++,
        request,
        transfer,
        timer: setTimeout(() => this.expire(pending), this.options.jobTimeoutMs),
        settle: (outcome) => {
          clearTimeout(pending.timer);
          resolve(outcome);
        },
      };
      this.queue.push(pending);
      this.dispatch();
    });
  }

  stats(): PoolStats {
    const slots = [...this.slots];
    return {
      workers: slots.length,
      ready: slots.filter((slot) => slot.state === 'idle' || slot.state === 'busy').length,
      busy: slots.filter((slot) => slot.state === 'busy').length,
      queued: this.queue.length,
    };
  }

  /** Fails what is waiting or running and terminates every worker; later calls answer `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.settle(fail('closed'));
    const workers: Worker[] = [];
    for (const slot of this.slots) {
      clearTimeout(slot.startTimer);
      slot.job?.settle(fail('closed'));
      slot.markStarted(false);
      slot.state = 'retired';
      workers.push(slot.worker);
    }
    this.slots.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** Brings the pool up to its size: on first use, and after a worker was lost. */
  private fill(): void {
    while (!this.closed && this.slots.size < this.options.size) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(this.options.workerUrl, { workerData: this.options.workerData });
    // An idle pool must never be what keeps the process alive; pending jobs hold their own timers.
    worker.unref();
    let markStarted: (ready: boolean) => void = () => undefined;
    const started = new Promise<boolean>((resolve) => {
      markStarted = resolve;
    });
    const slot: Slot<Request, Reply> = { worker, state: 'starting', started, markStarted };
    slot.startTimer = setTimeout(() => this.startFailed(slot, 'start time-out'), this.options.startTimeoutMs);
    slot.startTimer.unref();
    this.slots.add(slot);
    worker.on('message', (message: WorkerMessage<Reply>) => this.receive(slot, message));
    worker.on('error', (error: Error) => {
      this.logger?.error({ event: 'worker.crashed', pool: this.options.name, reason: error.message });
    });
    worker.on('exit', () => this.exited(slot));
  }

  private receive(slot: Slot<Request, Reply>, message: WorkerMessage<Reply>): void {
    if (slot.state === 'retired') return;
    switch (message.type) {
      case 'ready':
        clearTimeout(slot.startTimer);
        slot.state = 'idle';
        slot.markStarted(true);
        this.dispatch();
        return;
      case 'start_failed':
        this.startFailed(slot, message.message);
        return;
      case 'reply':
      case 'job_failed': {
        const job = slot.job;
        if (!job || job.id !== message.id) return;
        slot.job = undefined;
        slot.state = 'idle';
        if (message.type === 'reply') job.settle(ok(message.reply));
        else {
          this.logger?.warn({ event: 'worker.job_failed', pool: this.options.name, reason: message.message });
          job.settle(fail('job_failed'));
        }
        this.dispatch();
      }
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.state !== 'idle') continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.state = 'busy';
      slot.job = job;
      const message: WorkerJob<Request> = { id: job.id, request: job.request };
      slot.worker.postMessage(message, job.transfer);
    }
  }

  /** A job's time is up: drop it from the queue, or stop the worker that is still computing it. */
  private expire(pending: Pending<Request, Reply>): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    const running = [...this.slots].find((slot) => slot.job === pending);
    if (running) {
      running.job = undefined;
      this.logger?.warn({ event: 'worker.timed_out', pool: this.options.name });
      this.retire(running);
    }
    pending.settle(fail('timeout'));
  }

  private startFailed(slot: Slot<Request, Reply>, reason: string): void {
    if (slot.state !== 'starting') return;
    this.logger?.error({ event: 'worker.start_failed', pool: this.options.name, reason });
    slot.markStarted(false);
    this.retire(slot, false);
    // With no worker left that could take them, waiting jobs would only run into their time-out.
    const alive = [...this.slots].some((other) => other.state !== 'retired');
    if (!alive) for (const pending of this.queue.splice(0)) pending.settle(fail('start_failed'));
  }

  /** Terminates a worker; unless its start failed, a replacement starts at once. */
  private retire(slot: Slot<Request, Reply>, replace = true): void {
    clearTimeout(slot.startTimer);
    slot.state = 'retired';
    this.slots.delete(slot);
    void slot.worker.terminate();
    // A start failure is not retried here (it would loop on a missing model); the next job tries again.
    if (replace) this.fill();
  }

  private exited(slot: Slot<Request, Reply>): void {
    if (slot.state === 'retired' || this.closed) return;
    const wasStarting = slot.state === 'starting';
    slot.job?.settle(fail('worker_crashed'));
    slot.job = undefined;
    if (wasStarting) {
      this.startFailed(slot, 'exited while starting');
      return;
    }
    this.logger?.error({ event: 'worker.exited', pool: this.options.name });
    this.retire(slot);
    this.dispatch();
  }
}
