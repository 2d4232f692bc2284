import type Koa from 'koa';

/**
 * The routes of the built application, read from the @koa/router instances mounted on it (each `router.routes()`
 * middleware carries its router). Hostile-input suites derive what they cover from this list, so a route added to
 * a router without coverage makes them fail instead of a hand-written list going stale.
 */
export interface MountedRoute {
  /** Upper-case methods as registered (GET routes also answer HEAD; that one is left out). */
  methods: string[];
  /** The full path pattern, e.g. `/interaction/:uid/login`. */
  path: string;
}

interface RouterLayer {
  methods: string[];
  path: unknown;
}

interface RouterLike {
  stack: RouterLayer[];
}

const routerOf = (middleware: unknown): RouterLike | undefined => {
  const router = (middleware as { router?: unknown }).router;
  if (typeof router !== 'object' || router === null || !Array.isArray((router as { stack?: unknown }).stack)) return undefined;
  return router as RouterLike;
};

/** Every method+path registered on the app's routers; `router.use()` layers (no method) are not routes. */
export function mountedRoutes(app: Koa): MountedRoute[] {
  const routes: MountedRoute[] = [];
  for (const middleware of app.middleware) {
    const router = routerOf(middleware);
    if (!router) continue;
    for (const layer of router.stack) {
      if (layer.methods.length === 0 || typeof layer.path !== 'string') continue;
      routes.push({ methods: layer.methods.filter((method) => method !== 'HEAD'), path: layer.path });
    }
  }
  return routes;
}

/** `METHOD path` for each method of each route: the unit inventories are kept in. */
export function routeKeys(routes: readonly MountedRoute[]): string[] {
  return routes.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`));
}

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
