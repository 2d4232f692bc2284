import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Context, Middleware } from 'koa';

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

function helmetOptionsFor(tls: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: directives(tls) },
    // Sent only over TLS, where the browser honours it; over plain HTTP it would be ignored anyway.
    strictTransportSecurity: tls ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    // Authorization codes travel in redirect URLs: never leak them to another site through Referer.
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  };
}

/** What helmet does to a response: headers set, in order, and headers removed. */
interface HeaderSet {
  set: [name: string, value: string][];
  removed: string[];
}

/**
 * Runs helmet once against a response that only records, at start-up. Every directive above is a constant, so helmet
 * answers every request with these same headers: replaying them costs a request a few setHeader calls instead of
 * helmet's chain of middleware (each a promise under koa-helmet) rebuilding the CSP string (bench/ --cpu-prof).
 */
function headerSetFor(tls: boolean): HeaderSet {
  const headers: HeaderSet = { set: [], removed: [] };
  const recorder = {
    setHeader: (name: string, value: number | string | readonly string[]) => void headers.set.push([name, String(value)]),
    removeHeader: (name: string) => void headers.removed.push(name),
  };
  let done = false;
  helmet(helmetOptionsFor(tls))({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be prepared');
  return headers;
}

/**
 * helmet's headers with a strict CSP; HSTS and upgrade-insecure-requests only on requests that arrived over TLS
 * (`ctx.secure`, which honours X-Forwarded-Proto when app.proxy is set for the trusted reverse proxy).
 */
export function securityHeaders(): Middleware {
  const apply = preparedSecurityHeaders();
  return (ctx, next) => {
    apply(ctx);
    return next();
  };
}

/** The headers securityHeaders() sets, as one function to call on a request (machine-lane.ts folds it in). */
export function preparedSecurityHeaders(): (ctx: Context) => void {
  const overTls = headerSetFor(true);
  const plain = headerSetFor(false);
  return (ctx) => {
    const headers = ctx.secure ? overTls : plain;
    const { res } = ctx;
    for (const [name, value] of headers.set) res.setHeader(name, value);
    for (const name of headers.removed) res.removeHeader(name);
  };
}

/**
 * The headers of a JSON answer to a relying party's server (machine-lane.ts: token, introspection, revocation, userinfo,
 * PAR), after OWASP's REST Security Cheat Sheet: nothing in it may load, run or be framed, sniffing is off, HSTS over
 * TLS. helmet's page headers (prefetch, download, cross-domain and XSS-filter controls, COOP, Origin-Agent-Cluster) act
 * on documents a browser renders and mean nothing here; sending them cost those endpoints a measurable share of their
 * throughput (bench/, issue 6). An error answered there as a page gets the page headers as well (machine-lane.ts).
 */
export function preparedApiSecurityHeaders(): (ctx: Context) => void {
  const common: [string, string][] = [
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
  ];
  const overTls: [string, string][] = [...common, ['Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`]];
  return (ctx) => {
    const { res } = ctx;
    for (const [name, value] of ctx.secure ? overTls : common) res.setHeader(name, value);
  };
}
