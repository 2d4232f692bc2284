import type { Context } from 'koa';
import type { Account } from '../../domain/account.js';
import { achievedLevel, amrOf, type SecondFactorKind } from '../../domain/authentication-methods.js';
import { acrForLevel } from '../../domain/levels.js';
import { ASSURANCE_REASONS, VERIFICATION_PROMPT } from '../../oidc/assurance-policy.js';
import { nowSeconds } from '../../shared/clock.js';
import type { SignInPagesDeps } from './sign-in-pages-deps.js';
import {
  clientNameOf,
  finishInteraction,
  interactionPath,
  loadInteraction,
  requiredLevelOf,
  sessionAccountIdOf,
  setRetryAfter,
  type Details,
} from './interaction-support.js';
import type { LevelRequiredViewModel, SecondFactorViewModel } from './sign-in-view-models.js';

interface Shown {
  method?: SecondFactorKind;
  notice?: string;
  error?: string;
  errorVars?: Record<string, string | number>;
  /** GET: send the first phone code when none is usable (a reload within its 5 minutes sends nothing). */
  autoSend?: boolean;
}

/** The person at this step: the session's account, which methods it has, and whether it was verified just now. */
interface StepUp {
  details: Details;
  account: Account;
  methods: SecondFactorKind[];
  verifiedJustNow: boolean;
}

/**
 * The second factor of a level-2 sign-in (Decision 34 Art 5.1.b + NIST SP 800-63B AAL2): the password was given in
 * this session, so only a one-time code is asked, from the TOTP app the owner enrolled or sent by SMS to the registered
 * phone. This is also the step-up of a level-1 session asked for level 2, and the last step after a level-2
 * verification done during the sign-in (the account was level 1 a moment ago).
 */
export function secondFactorPage(deps: SignInPagesDeps) {
  const { provider } = deps;

  /** Whether this interaction is waiting for a second factor (and not for the password or a verification). */
  function awaitsSecondFactor(details: Details, account: Account | undefined): boolean {
    if (!account || sessionAccountIdOf(details) !== account.id) return false;
    if (details.prompt.name === 'login') {
      return details.prompt.reasons.length > 0 && details.prompt.reasons.every((reason) => reason === ASSURANCE_REASONS.secondFactor);
    }
    // The account was verified at level 2 while the sign-in waited on the verification offer.
    return details.prompt.name === VERIFICATION_PROMPT && account.level >= requiredLevelOf(details);
  }

  async function stepUpOf(details: Details): Promise<StepUp | undefined> {
    const accountId = sessionAccountIdOf(details);
    const account = accountId ? await deps.accounts.findById(accountId) : undefined;
    if (!account || account.status !== 'active' || !awaitsSecondFactor(details, account)) return undefined;
    const methods: SecondFactorKind[] = [];
    if (await deps.signIn.totp.isEnrolled(account.id)) methods.push('totp');
    // Only a phone a one-time code proved (activation or a change of number) is bound to the owner (NIST SP 800-63B 5.1.3).
    if (account.phone && account.phoneVerifiedAt !== undefined) methods.push('sms');
    return { details, account, methods, verifiedJustNow: await verifiedDuringSession(details, account) };
  }

  /**
   * RFC 8176 `face` / `fpt` belong in `amr` only when the verification happened in this session: after the password
   * of this session was given, not on some earlier day.
   */
  async function verifiedDuringSession(details: Details, account: Account): Promise<boolean> {
    const verifiedAt = account.levelVerification?.at;
    const uid = details.session?.uid;
    if (verifiedAt === undefined || uid === undefined) return false;
    const session = await provider.Session.findByUid(uid);
    const loginTs = session?.loginTs;
    return typeof loginTs === 'number' && verifiedAt >= loginTs * 1000;
  }

  /** Shows the page when this interaction waits for a second factor; false when it waits for something else. */
  async function showIfPending(ctx: Context, details: Details, shown: Shown = {}): Promise<boolean> {
    const step = await stepUpOf(details);
    if (!step) return false;
    await render(ctx, step, shown, 200);
    return true;
  }

  async function render(ctx: Context, step: StepUp, shown: Shown, status: number): Promise<void> {
    const { details, account, methods } = step;
    const clientName = await clientNameOf(provider, details);
    const method = shown.method && methods.includes(shown.method) ? shown.method : methods[0];
    if (method === undefined) {
      // A level-2 account with no phone and no app cannot finish a level-2 sign-in: back with unmet requirements.
      const none: LevelRequiredViewModel = {
        uid: details.uid,
        csrfToken: ctx.state.csrfToken,
        clientName,
        titleKey: 'signIn.secondFactor.noneTitle',
        messageKey: 'signIn.secondFactor.noneMessage',
        backKey: 'signIn.secondFactor.back',
        accountUrl: deps.accountUrl,
      };
      deps.render(ctx, 'interaction/level-required', none, 200);
      return;
    }
    let notice = shown.notice;
    let problem: Pick<Shown, 'error' | 'errorVars'> = { ...(shown.error ? { error: shown.error, errorVars: shown.errorVars } : {}) };
    let phone = method === 'sms' ? await deps.signIn.phoneCode.view(account) : undefined;
    const now = deps.clock.now();
    if (method === 'sms' && shown.autoSend && phone && phone.codeExpiresAt === undefined && phone.nextSendAt <= now) {
      const sent = await deps.signIn.phoneCode.send(account, ctx.state.locale);
      if (sent.ok) phone = sent.value;
      else problem = { error: `signIn.secondFactor.errors.${sent.error}` };
      if (!sent.ok && sent.error === 'sender_unavailable') status = 503;
      notice = undefined;
    }
    const model: SecondFactorViewModel = {
      uid: details.uid,
      csrfToken: ctx.state.csrfToken,
      clientName,
      method,
      ...(methods.find((other) => other !== method) ? { alternative: methods.find((other) => other !== method) } : {}),
      ...(phone
        ? {
            maskedPhone: phone.maskedPhone,
            resendInSeconds: Math.max(0, Math.ceil((phone.nextSendAt - now) / 1000)),
            ...(phone.codeExpiresAt !== undefined ? { codeMinutesLeft: Math.max(1, Math.ceil((phone.codeExpiresAt - now) / 60_000)) } : {}),
          }
        : {}),
      issuer: deps.totpIssuer,
      verifiedJustNow: step.verifiedJustNow,
      ...(notice ? { notice } : {}),
      ...(problem.error ? { error: problem.error } : {}),
      ...(problem.errorVars ? { errorVars: problem.errorVars } : {}),
    };
    deps.render(ctx, 'interaction/second-factor', model, status);
  }

  async function submit(ctx: Context): Promise<void> {
    const step = await stepUpOf(await loadInteraction(provider, ctx));
    if (!step) return backToInteraction(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    const method: SecondFactorKind = body.method === 'totp' ? 'totp' : 'sms';
    if (!step.methods.includes(method)) return render(ctx, step, { method }, 400);
    const typed = typeof body.code === 'string' ? body.code : '';
    const outcome =
      method === 'totp'
        ? await deps.signIn.totp.verify(step.account.id, typed, ctx.ip)
        : await deps.signIn.phoneCode.verify(step.account, typed, ctx.ip);
    if (!outcome.ok) {
      const errors = 'signIn.secondFactor.errors.';
      const wait = outcome.retryAfterSeconds;
      setRetryAfter(ctx, wait);
      switch (outcome.error) {
        case 'wait':
          deps.onLogin('rate_limited');
          return render(ctx, step, { method, error: `${errors}wait`, errorVars: { count: wait ?? 1 } }, 429);
        case 'disabled':
          deps.onLogin('rate_limited');
          return render(ctx, step, { method, error: `${errors}disabled_${method}` }, 403);
        case 'code_invalid':
          deps.onLogin('invalid_credentials');
          return render(
            ctx,
            step,
            wait === undefined ? { method, error: `${errors}code_invalid` } : { method, error: `${errors}code_invalid_wait`, errorVars: { count: wait } },
            401,
          );
        case 'code_expired':
        case 'not_enrolled':
          deps.onLogin('invalid_credentials');
          return render(ctx, step, { method, error: `${errors}${outcome.error}` }, 401);
      }
    }
    // Decision 34 Art 5.1.b: the level achieved now, never above the account's; amr lists what was used (RFC 8176).
    const evidence = {
      password: (step.details.session?.amr ?? ['pwd']).includes('pwd'),
      secondFactor: method,
      ...(step.verifiedJustNow && step.account.levelVerification ? { verification: step.account.levelVerification.method } : {}),
    };
    const level = achievedLevel(step.account.level, evidence);
    await finishInteraction(
      ctx,
      step.details,
      {
        login: {
          accountId: step.account.id,
          acr: acrForLevel(level, deps.acrNames),
          amr: amrOf(evidence),
          ts: nowSeconds(deps.clock),
          remember: true,
        },
      },
      false,
    );
  }

  /** "Send a new code" (the first one is sent when the page opens). */
  async function send(ctx: Context): Promise<void> {
    const step = await stepUpOf(await loadInteraction(provider, ctx));
    if (!step) return backToInteraction(ctx);
    const sent = await deps.signIn.phoneCode.send(step.account, ctx.state.locale);
    if (sent.ok) return render(ctx, step, { method: 'sms', notice: 'signIn.secondFactor.sent' }, 200);
    const status = sent.error === 'sender_unavailable' ? 503 : sent.error === 'no_phone' ? 400 : 429;
    return render(ctx, step, { method: 'sms', error: `signIn.secondFactor.errors.${sent.error === 'no_phone' ? 'sender_unavailable' : sent.error}` }, status);
  }

  return { showIfPending, submit, send };
}

/** The interaction moved on (finished in another tab, or now needs the password): show what it needs now. */
function backToInteraction(ctx: Context): void {
  ctx.status = 303;
  ctx.redirect(interactionPath(String(ctx.params.uid)));
}
