import type { Context } from 'koa';
import type { ErrorCode } from '../../domain/errors.js';
import type { ErrorViewModel } from '../view-models.js';
import '../request-state.js';

export const PROBLEM_JSON = 'application/problem+json';

export interface ErrorResponse {
  status: number;
  code: ErrorCode;
  /** Sets Retry-After (seconds); the page then says that trying again later may help (as it does for 429). */
  retryAfterSeconds?: number;
  /** Shown to API clients only, and only for 4xx: AppError details are written to be safe to show. */
  detail?: string;
}

/**
 * Browsers get a page, API clients get RFC 9457 problem+json. A client is an API client when it asks for JSON (Accept)
 * ahead of HTML, sends JSON, or calls /api/; `Accept: *\/*` (curl, plain fetch) counts as a browser.
 */
export function wantsJson(ctx: Context): boolean {
  if (ctx.path.startsWith('/api/')) return true;
  const preferred = ctx.accepts('html', 'json', PROBLEM_JSON);
  if (preferred === 'json' || preferred === PROBLEM_JSON) return true;
  return preferred === false && Boolean(ctx.is('json'));
}

/**
 * Writes the error response: status, no-store, Retry-After, then a page in the request's language or problem+json.
 * Never includes a stack, an exception message or personal data. Headers already set (security headers, request id)
 * stay; a body or type set by the failed handler is replaced.
 */
export function respondWithError(ctx: Context, response: ErrorResponse): void {
  const { status, code, retryAfterSeconds } = response;
  const requestId: string = typeof ctx.state.requestId === 'string' ? ctx.state.requestId : '-';
  ctx.remove('Content-Disposition');
  ctx.remove('Content-Length');
  ctx.set('Cache-Control', 'no-store');
  if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(retryAfterSeconds));

  if (wantsJson(ctx)) {
    ctx.status = status;
    // JSON is UTF-8 by definition, but titles are Vietnamese: say so for clients that guess otherwise.
    ctx.type = `${PROBLEM_JSON}; charset=utf-8`;
    ctx.body = {
      type: `urn:vn-eid:error:${code}`,
      title: translate(ctx, `errors.${code}.title`, code),
      status,
      code,
      ...(status < 500 && response.detail ? { detail: response.detail } : {}),
      requestId,
    };
    return;
  }

  const model: ErrorViewModel = {
    status,
    titleKey: `errors.${code}.title`,
    messageKey: `errors.${code}.message`,
    retry: retryAfterSeconds !== undefined || status === 429,
    requestId,
    ...(ctx.state.protocolError ? { protocolError: ctx.state.protocolError } : {}),
  };
  if (model.retry && ctx.method === 'GET') model.retryUrl = ctx.originalUrl;
  try {
    if (typeof ctx.state.render !== 'function') throw new Error('views middleware has not run');
    ctx.state.render('errors/error', model, status);
  } catch {
    // The error page itself could not be rendered (views not mounted, template broken): a plain bilingual page.
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = fallbackPage(status, requestId);
  }
}

function translate(ctx: Context, key: string, fallback: string): string {
  if (typeof ctx.state.t !== 'function') return fallback;
  const text = ctx.state.t(key);
  return text === key ? fallback : text;
}

function fallbackPage(status: number, requestId: string): string {
  const reference = requestId.replace(/[^A-Za-z0-9._:-]/g, '');
  const unavailable = status === 503;
  const vi = unavailable ? 'Dịch vụ tạm thời gián đoạn. Vui lòng thử lại sau khoảng một phút.' : 'Đã xảy ra lỗi. Vui lòng thử lại sau.';
  const en = unavailable ? 'The service is temporarily unavailable. Please try again in a minute.' : 'Something went wrong. Please try again later.';
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status}</title></head><body><main><h1>${vi}</h1><p lang="en">${en}</p><p>Mã tham chiếu / Reference: <code>${reference}</code></p></main></body></html>`;
}
