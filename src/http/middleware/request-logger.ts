import { performance } from 'node:perf_hooks';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../shared/logger.js';
import { routePatternOf } from './route-pattern.js';
import '../request-state.js';

/**
 * Query parameters whose values are logged as they are. Everything else is replaced by "[redacted]": authorization
 * codes, state, nonce, id_token_hint, login_hint, request objects, tokens and whatever a client invents may identify
 * a person or be replayed, and a log line must never carry them.
 */
const LOGGABLE_PARAMS = new Set([
  'client_id',
  'response_type',
  'response_mode',
  'scope',
  'prompt',
  'display',
  'max_age',
  'acr_values',
  'ui_locales',
  'redirect_uri',
  'post_logout_redirect_uri',
  'code_challenge_method',
  'grant_type',
  'error',
  'lang',
  'v',
]);

/** `path?query` with every value outside the allowlist redacted (names kept, so the log still tells what was sent). */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  const redacted = [...params]
    .map(([name, value]) => `${encodeURIComponent(name)}=${LOGGABLE_PARAMS.has(name) ? encodeURIComponent(value) : '[redacted]'}`)
    .join('&');
  return `${url.slice(0, queryStart)}?${redacted}`;
}

export interface RequestLoggerOptions {
  /** Milliseconds from a monotonic clock; injectable for tests. */
  now?: () => number;
}

/** Fields other middleware or the provider's events add to the request's one line (see addToRequestLine). */
const lineFields = new WeakMap<Context, Record<string, unknown>>();

/**
 * Adds fields to the request's log line instead of writing a line of their own (the provider's token events): one line
 * per request is what an operator reads, and each line written costs the request a serialisation and a write.
 */
export function addToRequestLine(ctx: Context, fields: Record<string, unknown>): void {
  lineFields.set(ctx, { ...lineFields.get(ctx), ...fields });
}

/**
 * One log line per request (method, route pattern, redacted URL, status, duration, and what addToRequestLine added)
 * from a pino child carrying the request id, which handlers reach as `ctx.state.logger`. Mount it after requestId()
 * and before the error handler, so the status it logs is the one the person got.
 */
export function requestLogger(logger: Logger, options: RequestLoggerOptions = {}): Middleware {
  const now = options.now ?? (() => performance.now());
  return async (ctx, next) => {
    const started = now();
    const requestId: unknown = ctx.state.requestId;
    const child = logger.child(typeof requestId === 'string' ? { requestId } : {});
    ctx.state.logger = child;
    let failed = false;
    try {
      await next();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      logRequest(ctx, child, failed ? 500 : ctx.status, Math.round((now() - started) * 10) / 10);
    }
  };
}

/**
 * Writes the request's one line. `requestId` is given when `logger` is not already a child carrying it (machine-lane.ts
 * logs through the root logger rather than build a child for every request).
 */
export function logRequest(ctx: Context, logger: Logger, status: number, durationMs: number, requestId?: string): void {
  const line: Record<string, unknown> = requestId === undefined ? {} : { requestId };
  line.method = ctx.method;
  line.route = routePatternOf(ctx);
  line.url = redactUrl(ctx.originalUrl);
  line.status = status;
  line.durationMs = durationMs;
  const added = lineFields.get(ctx);
  if (added) Object.assign(line, added);
  if (status >= 500) logger.warn(line, 'request failed');
  else logger.info(line, 'request');
}
