import type { Middleware } from 'koa';
import type { AuditTrail } from '../../domain/audit.js';
import type { Logger } from '../../shared/logger.js';
import { routePatternOf } from '../middleware/route-pattern.js';
import './api-state.js';

/**
 * Records every authenticated API call (`api.called`): which client, which route (the pattern, never the values), the
 * account acted on and the status. Written after the response is decided; the actions themselves wrote their own
 * events already, so a failure here is logged rather than turning a completed action into an error.
 */
export function auditApiCalls(audit: AuditTrail, logger: Logger): Middleware {
  return async (ctx, next) => {
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      const exposed = error as { status?: unknown };
      status = typeof exposed.status === 'number' ? exposed.status : 500;
      throw error;
    } finally {
      const caller = ctx.state.apiCaller;
      if (caller) {
        const route = routePatternOf(ctx);
        await audit
          .record({
            type: 'api.called',
            ...(ctx.state.apiAccountId ? { accountId: ctx.state.apiAccountId } : {}),
            actor: { kind: caller.party, id: caller.clientId },
            clientId: caller.clientId,
            details: { method: ctx.method, route, status },
          })
          .catch((error: unknown) => logger.warn({ event: 'api_audit.failed', error: error instanceof Error ? error.name : 'unknown' }, 'api_audit.failed'));
      }
    }
  };
}
