import type { Context } from 'koa';

/** What @koa/router and oidc-provider's router leave on the context once a route matched. */
interface MatchedRoute {
  _matchedRoute?: unknown;
}

/** Label for requests no router claimed (404s, probes of random paths): one value, so they cannot grow the label set. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route pattern that served the request (`/interaction/:uid/login`), never the raw path: logs and metrics
 * stay free of interaction ids and other values, and metric labels stay few. Call it after `await next()`.
 */
export function routePatternOf(ctx: Context): string {
  const matched = (ctx as Context & MatchedRoute)._matchedRoute;
  if (typeof matched !== 'string' || matched === '') return UNMATCHED_ROUTE;
  // Under koa-mount the router sees the path below the mount point; put the mount point back.
  const mountPath = (ctx as Context & { mountPath?: unknown }).mountPath;
  return typeof mountPath === 'string' && mountPath !== '/' ? `${mountPath}${matched}` : matched;
}
