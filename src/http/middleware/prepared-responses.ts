import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';

export interface PreparedResponsesOptions {
  /** Paths answered from memory: the provider's discovery and JWKS paths (`provider.pathFor('discovery')`, ...). */
  paths: readonly string[];
  /**
   * The issuer's origin. The provider builds the endpoint URLs in discovery from the request's own origin, so only a
   * request for this origin gets the prepared bytes; any other Host goes to the provider, and nothing it sends is kept
   * (a forged Host cannot poison what everyone else receives, nor grow memory).
   */
  origin: string;
  /** Cache-Control max-age in seconds. Keep it short: a key rotation publishes a new JWKS after a restart. */
  maxAgeSeconds: number;
}

interface PreparedDocument {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** What route-pattern.ts reads for metrics and log lines; set so a prepared answer is labelled by its path. */
interface RoutedContext {
  _matchedRoute?: unknown;
}

/** The document the provider just produced, as the bytes Koa would send; undefined if it is not a 200 document. */
function documentOf(ctx: Context): PreparedDocument | undefined {
  if (ctx.status !== 200) return undefined;
  const { body } = ctx;
  let bytes: Buffer;
  if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body);
  else if (typeof body === 'object' && body !== null && !('pipe' in body)) bytes = Buffer.from(JSON.stringify(body));
  else return undefined;
  const contentType = ctx.response.get('Content-Type') || 'application/json; charset=utf-8';
  return { body: bytes, contentType, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
}

/**
 * Discovery and JWKS as prepared bytes. Both documents are fixed for the life of the process (configuration and keys
 * are loaded at start; a key rotation takes a restart, see README), yet oidc-provider rebuilds and re-serialises them on
 * every request behind the whole middleware stack. The first GET for each path goes to the provider as usual and its
 * 200 answer is kept; later ones are answered from memory with a strong ETag (304 on If-None-Match) and Cache-Control,
 * with the same CORS headers the provider sends (any origin may read these public documents).
 */
export function preparedResponses(options: PreparedResponsesOptions): Middleware {
  const paths = new Set(options.paths);
  const prepared = new Map<string, PreparedDocument>();
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;

  return async (ctx, next) => {
    // Not ctx.origin: in Koa 3 that is the Origin request header.
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !paths.has(ctx.path) || `${ctx.protocol}://${ctx.host}` !== options.origin) {
      return next();
    }
    const path = ctx.path;
    let document = prepared.get(path);
    if (!document) {
      await next();
      document = documentOf(ctx);
      if (!document) return undefined;
      prepared.set(path, document);
    } else {
      (ctx as Context & RoutedContext)._matchedRoute = path;
      ctx.vary('Origin');
      ctx.set('Access-Control-Allow-Origin', ctx.get('Origin') || '*');
    }
    ctx.status = 200;
    ctx.set('Content-Type', document.contentType);
    ctx.set('ETag', document.etag);
    ctx.set('Cache-Control', cacheControl);
    ctx.body = document.body;
    if (ctx.fresh) ctx.status = 304;
    return undefined;
  };
}
