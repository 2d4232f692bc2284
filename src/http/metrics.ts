import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Why a sign-in failed; a closed set, so the label cannot grow with input. Add a value here when a flow needs one. */
export type LoginFailureReason =
  | 'invalid_input'
  | 'invalid_credentials'
  | 'account_locked'
  | 'account_not_active'
  | 'insufficient_level'
  | 'rate_limited'
  | 'dependency_unavailable';

export type IssuedTokenType = 'access_token' | 'refresh_token' | 'id_token' | 'authorization_code' | 'client_credentials';

/** Methods with their own label value; anything else (WebDAV verbs, garbage) is counted as OTHER. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Far more method, route and status combinations than the provider's routes give; a bound, not a tuning knob. */
const MAX_CACHED_SERIES = 2_000;

/** One request series' children (prom-client's Counter and Histogram `labels()`). */
interface RequestSeries {
  count: { inc(): void };
  duration: { observe(value: number): void };
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC). On in production; tests may leave them out. */
  defaultMetrics?: boolean;
}

/**
 * The provider's Prometheus metrics, in a registry of its own (never prom-client's global one), so each app instance
 * — and each test — counts separately. Flows and the provider's event listeners call the typed methods; the HTTP
 * middleware calls observeRequest().
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly logins: Counter<'result'>;
  private readonly tokensIssued: Counter<'type'>;
  private readonly redisErrors: Counter;
  private readonly requestSeriesCache = new Map<string, RequestSeries>();

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'vneid_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'vneid_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
      registers,
    });
    this.logins = new Counter({
      name: 'vneid_logins_total',
      help: 'Sign-in attempts by result (success or the failure reason)',
      labelNames: ['result'],
      registers,
    });
    this.tokensIssued = new Counter({
      name: 'vneid_tokens_issued_total',
      help: 'Tokens and codes issued by type',
      labelNames: ['type'],
      registers,
    });
    this.redisErrors = new Counter({
      name: 'vneid_redis_errors_total',
      help: 'Redis failures: client connection errors and requests that failed closed because Redis could not answer',
      registers,
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'vneid_' });
  }

  loginSucceeded(): void {
    this.logins.inc({ result: 'success' });
  }

  loginFailed(reason: LoginFailureReason): void {
    this.logins.inc({ result: reason });
  }

  tokenIssued(type: IssuedTokenType): void {
    this.tokensIssued.inc({ type });
  }

  redisError(): void {
    this.redisErrors.inc();
  }

  /** `route` must be a route pattern (`/interaction/:uid`), never a raw path, to keep the series few. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const series = this.requestSeries(KNOWN_METHODS.has(method) ? method : 'OTHER', route, status);
    series.count.inc();
    series.duration.observe(seconds);
  }

  /**
   * The counter and histogram children of one method, route and status, kept: prom-client hashes the label object on
   * every inc() and observe() otherwise, a cost every request paid twice (bench/, issue 6). Route patterns and statuses
   * are few; past MAX_CACHED_SERIES the children are looked up each time instead of kept.
   */
  private requestSeries(method: string, route: string, status: number): RequestSeries {
    const key = `${method} ${status} ${route}`;
    const cached = this.requestSeriesCache.get(key);
    if (cached) return cached;
    const labels = { method, route, status: String(status) };
    const series = { count: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) };
    if (this.requestSeriesCache.size < MAX_CACHED_SERIES) this.requestSeriesCache.set(key, series);
    return series;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text for GET /metrics. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
