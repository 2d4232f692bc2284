import { performance } from 'node:perf_hooks';
import type { RedisConnection } from './redis-client.js';
import type { ClientSuspension, ClientSuspensions } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

/** How long one read of the suspended set answers for this instance. Well inside the one second Art 13.5 is held to. */
export const SUSPENSIONS_MAX_AGE_MS = 500;

export interface ClientSuspensionsOptions {
  /** How long a read of the suspended set is reused (default SUSPENSIONS_MAX_AGE_MS); 0 reads Redis on every call. */
  maxAgeMs?: number;
  /** A monotonic millisecond counter (performance.now by default); tests move it by hand. */
  elapsedMs?: () => number;
}

interface SuspendedSet {
  ids: ReadonlySet<string>;
  /** When the read was sent, so the age counts the time the reply took too. */
  readAt: number;
}

/**
 * Suspended clients (Decision 34 Art 13.5) in one Redis hash, shared by every instance.
 *
 * The provider asks on every authorization, token, introspection and API request, several times per request, so each
 * instance reads the whole (small) set of suspended ids at most once per `maxAgeMs` and answers from it in between: a
 * suspension or reinstatement recorded by any instance holds in every other within that time (half a second by
 * default, inside the one second the operator is promised), and at once in the instance that recorded it. A read that
 * fails refuses (fail closed); during an outage a set read less than `maxAgeMs` ago may still answer, but every request
 * that would issue or accept a token needs Redis for that, so nothing is issued from it. Concurrent callers share one
 * read; the set is bounded by the suspended clients, never by the ids callers send.
 */
export class RedisClientSuspensions implements ClientSuspensions {
  private readonly maxAgeMs: number;
  private readonly elapsedMs: () => number;
  private current: SuspendedSet | undefined;
  private reading: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    options: ClientSuspensionsOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? SUSPENSIONS_MAX_AGE_MS;
    this.elapsedMs = options.elapsedMs ?? (() => performance.now());
  }

  async isSuspended(clientId: string): Promise<boolean> {
    const current = this.current;
    if (current && this.elapsedMs() - current.readAt < this.maxAgeMs) return current.ids.has(clientId);
    return (await this.readSuspendedIds()).has(clientId);
  }

  async suspend(suspension: ClientSuspension): Promise<boolean> {
    try {
      const added = await failClosed(this.redis.hsetnx(this.keys.clientSuspensions(), suspension.clientId, JSON.stringify(suspension)));
      return added === 1;
    } finally {
      this.forget();
    }
  }

  async reinstate(clientId: string): Promise<boolean> {
    try {
      return (await failClosed(this.redis.hdel(this.keys.clientSuspensions(), clientId))) === 1;
    } finally {
      this.forget();
    }
  }

  async list(): Promise<ClientSuspension[]> {
    const stored = await failClosed(this.redis.hvals(this.keys.clientSuspensions()));
    return stored.map((json) => JSON.parse(json) as ClientSuspension).sort((a, b) => a.at - b.at);
  }

  /** One HKEYS shared by the callers that arrive while it is under way; kept only if nothing changed meanwhile. */
  private readSuspendedIds(): Promise<ReadonlySet<string>> {
    if (this.reading) return this.reading;
    const readAt = this.elapsedMs();
    const reading: Promise<ReadonlySet<string>> = failClosed(this.redis.hkeys(this.keys.clientSuspensions()))
      .then((ids) => {
        const set = new Set(ids);
        if (this.reading === reading) this.current = { ids: set, readAt };
        return set;
      })
      .finally(() => {
        if (this.reading === reading) this.reading = undefined;
      });
    this.reading = reading;
    return reading;
  }

  /**
   * After this instance suspends or reinstates, its next question reads Redis again (whether the write succeeded or
   * not), and a read already under way, which may have missed the write, is not kept.
   */
  private forget(): void {
    this.current = undefined;
    this.reading = undefined;
  }
}
