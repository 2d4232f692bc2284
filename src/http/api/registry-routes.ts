import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { API_SCOPES } from '../../domain/api-scopes.js';
import { AppError } from '../../domain/errors.js';
import type { RegistrySync } from '../../flows/registry-sync/registry-sync.js';
import type { Clock } from '../../shared/clock.js';
import { RegistryEventBody, registryEventOf } from '../dto/api/registry-event-body.js';
import { requireScope } from './api-auth.js';
import { callerOf, validBody } from './api-input.js';
import { REGISTRY_SIGNATURE_HEADER, verifyRegistrySignature } from './registry-signature.js';

export interface RegistryRoutesDeps {
  registrySync: RegistrySync;
  jsonBody: Middleware;
  clock: Clock;
  /** HMAC keys and clock tolerance (config lifecycle.registryEvents). */
  hmacKeys: readonly string[];
  toleranceSeconds: number;
}

/**
 * Events pushed by the national registries (Decision 34 Art 9.1): the caller holds the `vneid:registry:events` scope
 * AND the body carries a valid HMAC signature (a leaked API token alone cannot forge a death). Idempotent by event id:
 * a redelivery answers 200 with outcome `duplicate` and changes nothing.
 */
export function mountRegistryRoutes(router: Router, deps: RegistryRoutesDeps): void {
  router.post('/registry/events', requireScope(API_SCOPES.registryEvents), deps.jsonBody, async (ctx) => {
    const raw: unknown = (ctx.request as { rawBody?: unknown }).rawBody;
    const signature = verifyRegistrySignature(
      ctx.get(REGISTRY_SIGNATURE_HEADER) || undefined,
      typeof raw === 'string' ? raw : '',
      deps.hmacKeys,
      deps.clock.now(),
      deps.toleranceSeconds,
    );
    if (!signature.ok) throw new AppError('unauthorized', `signature_${signature.error}`);
    const event = registryEventOf(validBody(ctx, RegistryEventBody));
    if (!event) throw new AppError('bad_request', 'subject must be one identity of the source registry');
    const report = await deps.registrySync.receive(event, callerOf(ctx).clientId);
    ctx.body = { eventId: event.id, outcome: report.outcome, actions: report.actions };
  });
}
