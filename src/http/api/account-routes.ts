import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { API_SCOPES } from '../../domain/api-scopes.js';
import { loginKeyOf } from '../../domain/account.js';
import { AppError } from '../../domain/errors.js';
import type { LockActor, LockReason } from '../../domain/lock.js';
import type { LiftRefusal } from '../../domain/lock-rules.js';
import type { AccountStore } from '../../domain/ports.js';
import type { AccountLocking } from '../../flows/locks/account-locking.js';
import { AccountStatusQuery } from '../dto/api/account-status-query.js';
import { personRefOf } from '../dto/api/identity-ref.js';
import { LockNoteBody } from '../dto/api/lift-lock-body.js';
import { OpenLockBody } from '../dto/api/open-lock-body.js';
import { presentAccountStatus } from '../presenters/account-status-presenter.js';
import { presentLiftedLock, presentLock } from '../presenters/lock-presenter.js';
import type { ApiParty, AuthenticatedCaller } from './api-state.js';
import { requireScope } from './api-auth.js';
import { accountIdParam, callerOf, validBody } from './api-input.js';

export interface AccountRoutesDeps {
  accounts: AccountStore;
  locking: AccountLocking;
  jsonBody: Middleware;
}

/** The lock each kind of API client asks for when it names none (Decision 34 Art 10.2, 10.3). */
const DEFAULT_REASON: Readonly<Record<ApiParty, LockReason>> = {
  agency: 'agency_request',
  service_user: 'service_user_request',
  operator: 'terms_violation',
};

const actorOf = (caller: AuthenticatedCaller): LockActor => ({ kind: caller.party, id: caller.clientId });
const viewerOf = (caller: AuthenticatedCaller): { clientId: string; operator: boolean } => ({
  clientId: caller.clientId,
  operator: caller.party === 'operator',
});

/** HTTP answer of a refused lift: the refusal string is the problem's `detail`, stable for clients (docs/api.md). */
function refuseLift(refusal: LiftRefusal | 'account_not_found'): never {
  if (refusal === 'account_not_found' || refusal === 'lock_not_found') throw new AppError('not_found', refusal);
  throw new AppError('forbidden', refusal);
}

/**
 * Account status and locks (Decision 34 Art 10, 11, 12): each route is auth (api-router) -> scope -> validate -> load
 * -> authorize (the lock rules, in the flow) -> act -> present.
 */
export function mountAccountRoutes(router: Router, deps: AccountRoutesDeps): void {
  const { accounts, locking, jsonBody } = deps;

  // Identifiers go in the body, never in the URL (they would reach access logs).
  router.post('/accounts/status', requireScope(API_SCOPES.statusRead), jsonBody, async (ctx) => {
    const person = personRefOf(validBody(ctx, AccountStatusQuery));
    if (!person) throw new AppError('bad_request', 'give personalIdNumber, or passportNumber and nationality');
    const account = await accounts.findByLoginKey(loginKeyOf(person));
    if (!account) throw new AppError('not_found', 'no account for this identity');
    ctx.state.apiAccountId = account.id;
    ctx.body = presentAccountStatus(account, await locking.openLocks(account.id), viewerOf(callerOf(ctx)));
  });

  router.get('/accounts/:accountId/locks', requireScope(API_SCOPES.statusRead), async (ctx) => {
    const accountId = accountIdParam(ctx);
    const account = await accounts.findById(accountId);
    if (!account) throw new AppError('not_found', 'no such account');
    const viewer = viewerOf(callerOf(ctx));
    const [open, history] = await Promise.all([locking.openLocks(accountId), locking.history(accountId, 50)]);
    ctx.body = {
      accountId,
      locked: open.length > 0,
      open: open.map((lock) => presentLock(lock, viewer)),
      history: history.map((lock) => presentLiftedLock(lock, viewer)),
    };
  });

  router.post('/accounts/:accountId/locks', requireScope(API_SCOPES.lockRequest), jsonBody, async (ctx) => {
    const accountId = accountIdParam(ctx);
    const body = validBody(ctx, OpenLockBody);
    const caller = callerOf(ctx);
    const opened = await locking.open({
      accountId,
      reason: body.reason ?? DEFAULT_REASON[caller.party],
      actor: actorOf(caller),
      clientId: caller.clientId,
      note: body.note,
    });
    if (!opened.ok) {
      if (opened.error === 'account_not_found') throw new AppError('not_found', 'no such account');
      throw new AppError('forbidden', opened.error);
    }
    const { lock, created, termination } = opened.value;
    ctx.status = created ? 201 : 200;
    ctx.set('Location', `/api/v1/accounts/${encodeURIComponent(accountId)}/locks`);
    ctx.body = {
      lock: presentLock(lock, viewerOf(caller)),
      created,
      effects: {
        sessionsEnded: termination.sessions,
        grantsRevoked: termination.grants,
        backchannelLogoutsSent: termination.backchannelLogouts.length,
      },
    };
  });

  router.post('/accounts/:accountId/locks/:lockId/lift', requireScope(API_SCOPES.lockRestore), jsonBody, async (ctx) => {
    const accountId = accountIdParam(ctx);
    const body = validBody(ctx, LockNoteBody);
    const caller = callerOf(ctx);
    const lifted = await locking.lift({
      accountId,
      lockId: ctx.params.lockId ?? '',
      actor: actorOf(caller),
      clientId: caller.clientId,
      ...(body.note ? { note: body.note } : {}),
    });
    if (!lifted.ok) refuseLift(lifted.error);
    ctx.body = { lock: presentLiftedLock(lifted.value.lifted, viewerOf(caller)), accountUsable: lifted.value.accountUsable };
  });

  // Decision 34 Art 11.3: the operator records the remediation; the owner then asks for the lock to be lifted.
  router.post('/accounts/:accountId/locks/:lockId/remediation', requireScope(API_SCOPES.operator), jsonBody, async (ctx) => {
    const accountId = accountIdParam(ctx);
    const body = validBody(ctx, LockNoteBody);
    const caller = callerOf(ctx);
    if (caller.party !== 'operator') throw new AppError('forbidden', 'operator_only');
    const recorded = await locking.recordRemediation({
      accountId,
      lockId: ctx.params.lockId ?? '',
      actor: actorOf(caller),
      clientId: caller.clientId,
      ...(body.note ? { note: body.note } : {}),
    });
    if (!recorded.ok) {
      if (recorded.error === 'lock_not_found') throw new AppError('not_found', 'lock_not_found');
      throw new AppError('conflict', 'only a terms-of-service lock takes a remediation');
    }
    ctx.body = { lock: presentLock(recorded.value, viewerOf(caller)) };
  });
}
