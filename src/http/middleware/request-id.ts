import type { Context, Middleware } from 'koa';
import { uuid } from '../../shared/ids.js';
import '../request-state.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids a proxy may pass on: short and plain, so a forged header cannot inject text into log lines. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestIdOptions {
  /** Reuse the reverse proxy's X-Request-Id (only when the proxy is trusted, i.e. config `trustProxy`). */
  trustIncoming?: boolean;
}

/**
 * Gives every request an id, on `ctx.state.requestId` and in the X-Request-Id response header. Error pages show it
 * as a reference, so a person can quote it to support and the operator can find the log lines.
 */
export function requestId(options: RequestIdOptions = {}): Middleware {
  const trustIncoming = options.trustIncoming ?? false;
  return async (ctx, next) => {
    assignRequestId(ctx, trustIncoming);
    await next();
  };
}

/** What requestId() does to one request, for middleware that folds it into its own (machine-lane.ts). */
export function assignRequestId(ctx: Context, trustIncoming: boolean): string {
  const incoming = trustIncoming ? ctx.get(REQUEST_ID_HEADER) : '';
  const id = trustIncoming && SAFE_REQUEST_ID.test(incoming) ? incoming : uuid();
  ctx.state.requestId = id;
  ctx.set(REQUEST_ID_HEADER, id);
  return id;
}
