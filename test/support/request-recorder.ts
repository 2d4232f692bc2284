import { performance } from 'node:perf_hooks';

/** One HTTP request a fault test's load made: when it started and ended, what came back, and whether it carried a secret. */
export interface RecordedRequest {
  /** Method and path with ids folded (`POST /interaction/:id/login`). */
  route: string;
  /** performance.now() at the call and at the end of the response headers (or of the failure). */
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 when no response came (connection refused or reset). */
  status: number;
  /** A token in the body, or an authorization code / token in the redirect. */
  carriedSecret: boolean;
}

const TOKEN_FIELDS = /"(?:access_token|id_token|refresh_token)"\s*:/;

/** Folds the variable parts of a path (interaction uids, ids) so requests group by route. */
const routeOf = (method: string, url: URL): string =>
  `${method} ${url.pathname.replace(/\/[A-Za-z0-9_-]{16,}(?=\/|$)/g, '/:id')}`;

function locationCarriesSecret(location: string | null, base: string): boolean {
  if (!location) return false;
  const target = new URL(location, base);
  const fragment = new URLSearchParams(target.hash.slice(1));
  return ['code', 'access_token', 'id_token'].some((name) => target.searchParams.has(name) || fragment.has(name));
}

/**
 * Records every request made through the global fetch while installed: the relying party (openid-client), the test
 * user agent and the raw token requests all call the global fetch, so one wrapper sees the whole load without changing
 * the helpers. Responses are handed back untouched (the body is read from a clone).
 */
export class RequestRecorder {
  readonly records: RecordedRequest[] = [];
  private original: typeof fetch | undefined;

  install(): void {
    if (this.original) return;
    const original = globalThis.fetch;
    this.original = original;
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      // Read without building a Request, which would take the body of a Request passed in.
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const startedAt = performance.now();
      let response: Response;
      try {
        response = await original(input, init);
      } catch (error) {
        this.records.push({ route: routeOf(method, url), startedAt, endedAt: performance.now(), status: 0, carriedSecret: false });
        throw error;
      }
      const endedAt = performance.now();
      let carriedSecret = locationCarriesSecret(response.headers.get('location'), url.href);
      if (!carriedSecret && /json/.test(response.headers.get('content-type') ?? '')) {
        carriedSecret = TOKEN_FIELDS.test(await response.clone().text());
      }
      this.records.push({ route: routeOf(method, url), startedAt, endedAt, status: response.status, carriedSecret });
      return response;
    };
  }

  uninstall(): void {
    if (this.original) globalThis.fetch = this.original;
    this.original = undefined;
  }

  /** Requests that started in [from, to). */
  startedBetween(from: number, to: number = Number.POSITIVE_INFINITY): RecordedRequest[] {
    return this.records.filter((record) => record.startedAt >= from && record.startedAt < to);
  }
}

/** How the fault tests judge a request: any answer below 400 (pages, redirects, tokens) is a success. */
export const succeeded = (record: RecordedRequest): boolean => record.status >= 200 && record.status < 400;
