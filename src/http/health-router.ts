import { Router } from '@koa/router';

/** What the probes need of a Redis client (ioredis Redis or Cluster). */
export interface PingableRedis {
  readonly status: string;
  ping(): Promise<string>;
}

export interface HealthRouterOptions {
  /** How long /readyz waits for PONG before calling Redis unavailable. */
  pingTimeoutMs?: number;
}

export const DEFAULT_PING_TIMEOUT_MS = 500;

/**
 * Liveness and readiness for the orchestrator. /healthz: the process runs (no dependency checked, so a Redis outage
 * does not get healthy pods restarted). /readyz: Redis answers PING in time; while it does not, the pod is taken out
 * of the load balancer (and the provider fails closed anyway).
 */
export function healthRouter(redis: PingableRedis, options: HealthRouterOptions = {}): Router {
  const timeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const ready = await answersPing(redis, timeoutMs);
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ok' } : { status: 'unavailable', redis: 'unavailable' };
  });
  return router;
}

async function answersPing(redis: PingableRedis, timeoutMs: number): Promise<boolean> {
  // Not connected: the fail-closed client would reject at once anyway; say so without trying.
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((reply) => reply === 'PONG'), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
