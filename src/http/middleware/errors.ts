import type { Middleware } from 'koa';
import { AppError, DependencyUnavailableError, type ErrorCode } from '../../domain/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Metrics } from '../metrics.js';
import { respondWithError } from './error-response.js';
import '../request-state.js';

/** How long a person or client is told to wait while a dependency is down ("try again in a minute"). */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * ioredis failures that mean "Redis cannot answer right now" rather than a bug: the fail-closed client
 * (storage/redis-client.ts) rejects instead of queueing, and Redis itself refuses while loading, full (noeviction)
 * or without a master.
 */
const REDIS_UNAVAILABLE_MESSAGES = [
  /^Connection is closed\.?$/,
  /^Command timed out$/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  /^None of startup nodes is available/,
  /^Failed to refresh slots cache/,
  /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|OOM)\b/,
];
const REDIS_UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
/** Socket failures of any dependency (Redis, a registry's HTTP API, an SMTP server). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Status of Koa/http-errors thrown by ctx.throw() or a library -> our catalogue. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

export type ErrorClass =
  | { kind: 'refused'; status: number; code: ErrorCode; detail?: string }
  | { kind: 'unavailable'; status: 503; code: 'service_unavailable'; dependency: string }
  | { kind: 'bug'; status: 500; code: 'internal_error' };

/** The single mapping from a thrown value to an HTTP outcome (ARCHITECTURE convention 5 and 8). */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof DependencyUnavailableError) {
    return { kind: 'unavailable', status: 503, code: 'service_unavailable', dependency: error.dependency };
  }
  if (error instanceof AppError) {
    if (error.code === 'service_unavailable') {
      return { kind: 'unavailable', status: 503, code: 'service_unavailable', dependency: 'unknown' };
    }
    if (error.status >= 500) return { kind: 'bug', status: 500, code: 'internal_error' };
    return { kind: 'refused', status: error.status, code: error.code, ...(error.detail ? { detail: error.detail } : {}) };
  }
  const dependency = unavailableDependency(error);
  if (dependency) return { kind: 'unavailable', status: 503, code: 'service_unavailable', dependency };
  const httpStatus = exposedClientErrorStatus(error);
  if (httpStatus !== undefined) {
    return { kind: 'refused', status: httpStatus, code: CODE_BY_STATUS[httpStatus] ?? 'bad_request' };
  }
  return { kind: 'bug', status: 500, code: 'internal_error' };
}

/** Walks the cause chain: adapters and fetch wrap the socket or ioredis error they got. */
function unavailableDependency(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const link: Error = current;
    if (link instanceof DependencyUnavailableError) return link.dependency;
    if (REDIS_UNAVAILABLE_NAMES.has(link.name) || REDIS_UNAVAILABLE_MESSAGES.some((re) => re.test(link.message))) {
      return 'redis';
    }
    const code = (link as Error & { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
    current = link.cause;
  }
  return undefined;
}

function exposedClientErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, expose } = error as Error & { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true ? status : undefined;
}

/**
 * Error texts can quote input (an ID number, a birth date, an email): scrub digit runs and addresses before logging.
 * Decision 34 Art 3 and the personal-data rules: logs never carry identity data.
 */
export function scrubPersonalData(text: string): string {
  return text
    .replace(/[^\s@<>()"']+@[^\s@<>()"']+\.[A-Za-z]{2,}/g, '[email]')
    .replace(/\+?\d[\d .-]{6,}\d/g, '[number]');
}

/**
 * Only name, message and stack, scrubbed: never the error object itself, whose own fields can carry personal data
 * (ioredis attaches the command with its keys, e.g. a login key holding an ID number).
 */
function describe(error: unknown, withStack: boolean): Record<string, string> {
  // `type`, not `name`: the logger redacts every field called `name` (a person's name).
  if (!(error instanceof Error)) return { type: typeof error, message: '[non-error thrown]' };
  const described: Record<string, string> = { type: error.name, message: scrubPersonalData(error.message) };
  if (withStack && error.stack) described.stack = scrubPersonalData(error.stack);
  return described;
}

export interface ErrorHandlerOptions {
  /** Used when request-logger.ts has not put a per-request logger on ctx.state. */
  logger: Logger;
  metrics?: Pick<Metrics, 'redisError'>;
  retryAfterSeconds?: number;
}

/**
 * The one place errors become HTTP (mount it after views.middleware(), before every router and the provider):
 * AppError -> its status; Redis/dependency down -> 503 + Retry-After; anything else -> 500. A request no route
 * answered gets the 404 page. Browsers get a page, API clients problem+json; neither ever sees a stack.
 */
export function errorHandler(options: ErrorHandlerOptions): Middleware {
  const retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  return async (ctx, next) => {
    try {
      await next();
      // @koa/router answers a method it does not know (PROPFIND, ...) with 501 + Allow; on a path we serve that is the
      // client's mistake, like a known method the path does not take: 405 with the same Allow (issue 6: never a 5xx).
      if (ctx.status === 501 && ctx.body == null && ctx.response.get('Allow')) ctx.status = 405;
      if (ctx.status === 404 && ctx.body == null && ctx.respond !== false && !ctx.headerSent) {
        respondWithError(ctx, { status: 404, code: 'not_found' });
      }
    } catch (error) {
      const logger: Logger = ctx.state.logger ?? options.logger;
      // Fields are `errorCode`, not `code`: the logger redacts `code` everywhere (OAuth authorization codes).
      const outcome = classifyError(error);
      if (outcome.kind === 'unavailable') {
        if (outcome.dependency === 'redis') options.metrics?.redisError();
        logger.warn({ errorCode: outcome.code, dependency: outcome.dependency, error: describe(error, false) }, 'dependency unavailable');
      } else if (outcome.kind === 'refused') {
        logger.info({ errorCode: outcome.code, status: outcome.status }, 'request refused');
      } else {
        logger.error({ errorCode: outcome.code, error: describe(error, true) }, 'unhandled error');
      }
      if (ctx.headerSent || !ctx.writable) return; // nothing more can be said on this connection
      respondWithError(ctx, {
        status: outcome.status,
        code: outcome.code,
        // A limit reached (429) says when to come back too (RFC 6585): the handler's own Retry-After when it knows the
        // window, else the same "in a minute" as an outage (a client coming back early is simply refused again).
        ...(outcome.kind === 'unavailable' || (outcome.status === 429 && !ctx.response.get('Retry-After')) ? { retryAfterSeconds } : {}),
        ...(outcome.kind === 'refused' && outcome.detail ? { detail: outcome.detail } : {}),
      });
    }
  };
}
