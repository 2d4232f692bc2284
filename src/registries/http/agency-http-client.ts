import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../shared/clock.js';
import { uuid } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { postJson, type RawReply } from '../../shared/json-post.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from '../../shared/circuit-breaker.js';

/** Client certificate for mutual TLS, PEM contents (the container reads the files). */
export interface MutualTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
}

export interface AgencyClientOptions {
  /** Name used in logs: `population` or `immigration`. */
  agency: string;
  /** e.g. https://population.agency.example/api — the paths of docs/registry/agency-api.md are appended. */
  baseUrl: string;
  /** Budget of one attempt, from connecting to the last byte of the reply. */
  timeoutMs: number;
  /** Further attempts after the first when the agency could not answer (timeout, network, 5xx, 429). */
  retries: number;
  /** Full-jitter exponential backoff: the wait before retry n is random in [0, min(max, base × 2^(n-1))]. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Sent as `X-Api-Key`. At least one of apiKey and mutualTls is required over the network. */
  apiKey?: string;
  mutualTls?: MutualTlsOptions;
  /** PEM of the CA that signed the agency's server certificate, when it is not a public one. */
  caCertificate?: string | Buffer;
  /** Replies larger than this are refused (a lookup reply is a few kilobytes). */
  maxReplyBytes?: number;
  circuitBreaker: CircuitBreakerOptions;
}

export interface AgencyClientDependencies {
  clock: Clock;
  logger?: Logger;
  /** Waits between retries; tests pass one that returns at once and records the delays. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

/** Why an exchange produced no usable answer. Every one of them means "registry unavailable" to the caller. */
export type AgencyFailure =
  | 'circuit_open'
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'rate_limited'
  | 'unexpected_status'
  | 'reply_too_large'
  | 'malformed_reply';

const RETRYABLE: ReadonlySet<AgencyFailure> = new Set(['timeout', 'network', 'server_error', 'rate_limited']);

const DEFAULT_MAX_REPLY_BYTES = 256 * 1024;

/**
 * Speaks the agency lookup API (docs/registry/agency-api.md): JSON POSTs that are safe to repeat, so every failure that
 * may be transient is retried with backoff; all failures end as a value, never as a guess that the person is unknown.
 * A circuit breaker around each logical call stops hammering an agency that is down.
 */
export class AgencyHttpClient {
  private readonly agent: HttpAgent;
  private readonly breaker: CircuitBreaker;
  private readonly base: URL;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly options: AgencyClientOptions,
    private readonly dependencies: AgencyClientDependencies,
  ) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new Error(`${options.agency} registry: base URL must be http or https`);
    }
    if ((options.mutualTls || options.caCertificate) && this.base.protocol !== 'https:') {
      throw new Error(`${options.agency} registry: TLS settings need an https base URL`);
    }
    this.agent =
      this.base.protocol === 'https:'
        ? new HttpsAgent({
            keepAlive: true,
            ...(options.mutualTls ?? {}),
            ...(options.caCertificate ? { ca: options.caCertificate } : {}),
          })
        : new HttpAgent({ keepAlive: true });
    this.breaker = new CircuitBreaker(options.circuitBreaker, dependencies.clock);
    this.sleep = dependencies.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
    this.random = dependencies.random ?? Math.random;
  }

  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  /**
   * POSTs `body` as JSON to `path` and hands a 200 reply's JSON to `read`, which returns null when the reply does not
   * have the promised shape (then the call failed, and counts against the agency like a 5xx).
   */
  async lookup<T>(path: string, body: object, read: (json: unknown) => T | null): Promise<Result<T, AgencyFailure>> {
    const requestId = uuid();
    const attempt = (): Promise<Result<T, AgencyFailure>> => this.withRetries(path, body, requestId, read);
    const run = await this.breaker.run(attempt, (outcome) => !outcome.ok);
    if (run.refused) {
      this.dependencies.logger?.warn({ event: 'registry.call_refused', agency: this.options.agency, path, requestId });
      return fail('circuit_open');
    }
    return run.outcome;
  }

  /** Closes idle keep-alive connections; call on shutdown. */
  close(): void {
    this.agent.destroy();
  }

  private async withRetries<T>(
    path: string,
    body: object,
    requestId: string,
    read: (json: unknown) => T | null,
  ): Promise<Result<T, AgencyFailure>> {
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.once(path, body, requestId, read);
      if (outcome.ok) return outcome;
      this.dependencies.logger?.warn({
        event: 'registry.call_failed',
        agency: this.options.agency,
        path,
        requestId,
        attempt: attempt + 1,
        reason: outcome.error,
      });
      if (!RETRYABLE.has(outcome.error) || attempt >= this.options.retries) return outcome;
      const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** attempt);
      await this.sleep(Math.floor(this.random() * ceiling));
    }
  }

  private async once<T>(
    path: string,
    body: object,
    requestId: string,
    read: (json: unknown) => T | null,
  ): Promise<Result<T, AgencyFailure>> {
    const reply = await this.send(path, JSON.stringify(body), requestId);
    if (!reply.ok) return reply;
    const { status, contentType, body: raw } = reply.value;
    if (status === 429) return fail('rate_limited');
    if (status >= 500) return fail('server_error');
    // Anything but 200 (401/403 bad credentials, 404 wrong base URL, 400 our bug) is a failure, never "not found".
    if (status !== 200) return fail('unexpected_status');
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) return fail('malformed_reply');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return fail('malformed_reply');
    }
    const value = read(json);
    return value === null ? fail('malformed_reply') : ok(value);
  }

  private send(path: string, payload: string, requestId: string): Promise<Result<RawReply, AgencyFailure>> {
    return postJson({
      url: new URL(path.replace(/^\//, ''), this.base),
      agent: this.agent,
      payload,
      requestId,
      apiKey: this.options.apiKey,
      timeoutMs: this.options.timeoutMs,
      maxReplyBytes: this.options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES,
    });
  }
}
