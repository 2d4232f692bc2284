import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { API_SCOPES } from '../../domain/api-scopes.js';
import type { AuditTrail } from '../../domain/audit.js';
import { AppError } from '../../domain/errors.js';
import type { ClientSuspensions } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import { SuspensionBody } from '../dto/api/suspension-body.js';
import { requireScope } from './api-auth.js';
import { callerOf, validBody } from './api-input.js';

export interface ClientRoutesDeps {
  suspensions: ClientSuspensions;
  audit: AuditTrail;
  clock: Clock;
  jsonBody: Middleware;
  /** Whether a client id is registered (suspending an unknown one is a typo). */
  isRegistered(clientId: string): boolean;
  /** Clients that cannot be suspended (the provider's own). */
  unsuspendable: readonly string[];
}

const LEGAL_BASIS = 'Decision 34 Art 13.5';

/** Suspension of relying parties by the operator (Decision 34 Art 13.5): logins to them and their tokens stop. */
export function mountClientRoutes(router: Router, deps: ClientRoutesDeps): void {
  const operatorOnly: Middleware = async (ctx, next) => {
    if (callerOf(ctx).party !== 'operator') throw new AppError('forbidden', 'operator_only');
    await next();
  };

  router.get('/clients/suspensions', requireScope(API_SCOPES.operator), operatorOnly, async (ctx) => {
    const suspensions = await deps.suspensions.list();
    ctx.body = {
      suspensions: suspensions.map((suspension) => ({
        clientId: suspension.clientId,
        reason: suspension.reason,
        suspendedBy: suspension.suspendedBy,
        at: new Date(suspension.at).toISOString(),
      })),
    };
  });

  router.put('/clients/:clientId/suspension', requireScope(API_SCOPES.operator), operatorOnly, deps.jsonBody, async (ctx) => {
    const clientId = ctx.params.clientId ?? '';
    const body = validBody(ctx, SuspensionBody);
    const caller = callerOf(ctx);
    if (!deps.isRegistered(clientId)) throw new AppError('not_found', 'no such client');
    if (clientId === caller.clientId || deps.unsuspendable.includes(clientId)) throw new AppError('conflict', 'this client cannot be suspended');
    const at = deps.clock.now();
    const created = await deps.suspensions.suspend({ clientId, reason: body.reason, suspendedBy: caller.clientId, at });
    if (created) {
      await deps.audit.record({
        type: 'client.suspended',
        actor: { kind: 'operator', id: caller.clientId },
        clientId,
        legalBasis: LEGAL_BASIS,
        details: { suspendedClient: clientId },
        at,
      });
    }
    ctx.status = created ? 201 : 200;
    ctx.body = { clientId, suspended: true, created };
  });

  router.delete('/clients/:clientId/suspension', requireScope(API_SCOPES.operator), operatorOnly, async (ctx) => {
    const clientId = ctx.params.clientId ?? '';
    const caller = callerOf(ctx);
    if (!(await deps.suspensions.reinstate(clientId))) throw new AppError('not_found', 'client is not suspended');
    await deps.audit.record({
      type: 'client.reinstated',
      actor: { kind: 'operator', id: caller.clientId },
      clientId,
      legalBasis: LEGAL_BASIS,
      details: { reinstatedClient: clientId },
    });
    ctx.status = 204;
  });
}
