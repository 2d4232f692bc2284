import helmet from 'koa-helmet';
import type { Middleware } from 'koa';

/** One year, as HSTS preload lists expect. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * Content-Security-Policy: everything from our own origin, no inline script or style, never framed.
 *
 * `script-src` is spelled out although `default-src` covers it: oidc-provider's auto-submitting pages (form_post
 * response mode, logout without a session) append the sha256 of their one inline script to an existing `script-src`
 * directive, and only to that; without it those pages would be blocked.
 *
 * `form-action` is deliberately absent. Chromium applies it to every redirect that follows a form submission, so
 * `form-action 'self'` blocks the 303 chain our login POST starts (provider -> the relying party's redirect_uri on
 * another origin), and the form_post response mode posts to that other origin directly. Listing every client's
 * origin would tie the header to the client registry; forms are our own templates and injection is prevented by
 * escaping, so the directive would protect little here.
 */
function directives(tls: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    // Only meaningful behind TLS; on plain-HTTP development it would send forms to an https origin that is not there.
    ...(tls ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

function helmetFor(tls: boolean): Middleware {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives(tls) },
    // Sent only over TLS, where the browser honours it; over plain HTTP it would be ignored anyway.
    strictTransportSecurity: tls ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    // Authorization codes travel in redirect URLs: never leak them to another site through Referer.
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * koa-helmet with a strict CSP; HSTS and upgrade-insecure-requests only on requests that arrived over TLS
 * (`ctx.secure`, which honours X-Forwarded-Proto when app.proxy is set for the trusted reverse proxy).
 */
export function securityHeaders(): Middleware {
  const overTls = helmetFor(true);
  const plain = helmetFor(false);
  return (ctx, next) => (ctx.secure ? overTls(ctx, next) : plain(ctx, next));
}
