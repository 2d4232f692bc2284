import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { API_SCOPES } from '../../domain/api-scopes.js';
import { AppError } from '../../domain/errors.js';
import type { AccountRef, Level2Api } from '../../flows/level2/types.js';
import { personRefOf } from '../dto/api/identity-ref.js';
import { Level2RecordBody } from '../dto/api/level2-record-body.js';
import { requireScope } from './api-auth.js';
import { callerOf, validBody } from './api-input.js';

export interface Level2RoutesDeps {
  level2: Pick<Level2Api, 'recordInPersonVerification'>;
  jsonBody: Middleware;
}

/** Level 2 verified in person at a police counter (Decision 34 Art 5.1.b, later rules), recorded by the agency. */
export function mountLevel2Routes(router: Router, deps: Level2RoutesDeps): void {
  router.post('/level2/in-person', requireScope(API_SCOPES.level2Record), deps.jsonBody, async (ctx) => {
    const body = validBody(ctx, Level2RecordBody);
    const person = personRefOf(body);
    const accountRef: AccountRef | undefined =
      body.accountId !== undefined ? (person ? undefined : { kind: 'account', accountId: body.accountId }) : person;
    if (!accountRef) throw new AppError('bad_request', 'give accountId, personalIdNumber, or passportNumber and nationality');
    const recorded = await deps.level2.recordInPersonVerification({
      accountRef,
      method: body.method,
      officerId: body.officerId,
      stationId: body.stationId,
      legalBasis: body.legalBasis,
      at: body.at,
      recordedBy: callerOf(ctx).clientId,
    });
    if (!recorded.ok) {
      switch (recorded.error) {
        case 'account_not_found':
          throw new AppError('not_found', recorded.error);
        case 'not_active':
        case 'identity_closed':
          throw new AppError('conflict', recorded.error);
        case 'registry_unavailable':
          throw new AppError('service_unavailable', recorded.error);
        default:
          throw new AppError('bad_request', recorded.error);
      }
    }
    ctx.state.apiAccountId = recorded.value.accountId;
    ctx.body = {
      accountId: recorded.value.accountId,
      previousLevel: recorded.value.previousLevel,
      level: recorded.value.level,
      verifiedAt: new Date(recorded.value.verification.at).toISOString(),
      method: recorded.value.verification.method,
    };
  });
}
