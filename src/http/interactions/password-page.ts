import type { Context } from 'koa';
import { loginKeyOf } from '../../domain/account.js';
import { acrForLevel } from '../../domain/levels.js';
import { amrOf } from '../../domain/authentication-methods.js';
import { nowSeconds } from '../../shared/clock.js';
import { LoginForm } from '../dto/login-form.js';
import { parseBody } from '../dto/parse.js';
import type { LoginViewModel } from '../view-models.js';
import type { SignInPagesDeps } from './sign-in-pages-deps.js';
import { clientNameOf, finishInteraction, interactionPath, loadInteraction, requiredLevelOf, setRetryAfter, type Details } from './interaction-support.js';
import type { LockedViewModel } from './sign-in-view-models.js';

type Shown = Pick<LoginViewModel, 'error' | 'errorVars' | 'recoveryUrl'> & { form?: Partial<LoginForm> };

/**
 * The sign-in page: personal ID number (citizens) or passport number + nationality (foreigners), and the password
 * (Decision 34 Art 6.4.a). A right password signs the person in at level 1 (Art 5.1.a); when the relying party asked
 * for level 2 the provider then asks for the second factor only (second-factor-page.ts).
 */
export function passwordPage(deps: SignInPagesDeps) {
  const { provider } = deps;

  async function show(ctx: Context, details: Details, shown: Shown, status = 200): Promise<void> {
    const model: LoginViewModel = {
      uid: details.uid,
      csrfToken: ctx.state.csrfToken,
      clientName: await clientNameOf(provider, details),
      // Decision 34 Art 5.2: the level the service asked for (acr_values, an essential acr, or its registered minimum).
      requestedLevel: requiredLevelOf(details),
      ...(shown.error ? { error: shown.error } : {}),
      ...(shown.errorVars ? { errorVars: shown.errorVars } : {}),
      ...(shown.recoveryUrl ? { recoveryUrl: shown.recoveryUrl } : {}),
      form: {
        kind: shown.form?.kind ?? 'citizen',
        ...(shown.form?.idNumber ? { idNumber: shown.form.idNumber } : {}),
        ...(shown.form?.passportNumber ? { passportNumber: shown.form.passportNumber } : {}),
        ...(shown.form?.nationality ? { nationality: shown.form.nationality } : {}),
      },
    };
    deps.render(ctx, 'interaction/login', model, status);
  }

  async function submit(ctx: Context): Promise<void> {
    const body = ctx.request.body as Record<string, unknown>;
    const parsed = parseBody(LoginForm, body);
    // The attempt's reads start now, to share the interaction's round trip to Redis; they are only used below, once the
    // interaction is known to be this browser's and waiting for the password.
    const started = parsed.ok ? deps.signIn.password.begin(loginKeyOf(parsed.value), ctx.ip) : undefined;
    const details = await loadInteraction(provider, ctx);
    if (details.prompt.name !== 'login') {
      // Signed in meanwhile (another tab), or the sign-in moved on: show what it needs now.
      ctx.status = 303;
      ctx.redirect(interactionPath(details.uid));
      return;
    }
    const echoed: Partial<LoginForm> = {
      kind: body.kind === 'foreigner' ? 'foreigner' : 'citizen',
      ...(typeof body.idNumber === 'string' ? { idNumber: body.idNumber.slice(0, 12) } : {}),
      ...(typeof body.passportNumber === 'string' ? { passportNumber: body.passportNumber.slice(0, 20) } : {}),
      ...(typeof body.nationality === 'string' ? { nationality: body.nationality.slice(0, 3) } : {}),
    };
    if (!parsed.ok || started === undefined) {
      deps.onLogin('invalid_input');
      await show(ctx, details, { error: 'login.invalid_input', form: echoed }, 400);
      return;
    }
    const outcome = await deps.signIn.password.verify(started, parsed.value.password);
    if (!outcome.ok) {
      await deps.recordRefusal(started.loginKey, outcome.error, ctx.ip);
      switch (outcome.error) {
        case 'wait':
          deps.onLogin('rate_limited');
          setRetryAfter(ctx, outcome.retryAfterSeconds);
          await show(ctx, details, { error: 'signIn.wait', errorVars: { count: outcome.retryAfterSeconds ?? 1 }, form: echoed }, 429);
          return;
        case 'disabled':
          deps.onLogin('rate_limited');
          await show(ctx, details, { error: 'signIn.disabled', ...recovery(deps, details), form: echoed }, 403);
          return;
        case 'locked':
          deps.onLogin('account_locked');
          await showLocked(ctx, details);
          return;
        case 'invalid_credentials': {
          deps.onLogin('invalid_credentials');
          const wait = outcome.retryAfterSeconds;
          setRetryAfter(ctx, wait);
          const shown: Shown =
            wait === undefined ? { error: 'login.invalid_credentials' } : { error: 'signIn.invalidThenWait', errorVars: { count: wait } };
          await show(ctx, details, { ...shown, form: echoed }, 401);
          return;
        }
      }
    }
    deps.onLogin('success');
    // A password alone achieves level 1, whatever the account's level (Decision 34 Art 5.1). The time of the sign-in is
    // the flows' clock, which the level-2 window and max_age are measured on (oidc/assurance-policy.ts).
    await finishInteraction(
      ctx,
      details,
      {
        login: {
          accountId: outcome.value.id,
          acr: acrForLevel(1, deps.acrNames),
          amr: amrOf({ password: true }),
          ts: nowSeconds(deps.clock),
          remember: true,
        },
      },
      false,
    );
  }

  /** Decision 34 Art 10: the account is unusable while a lock is open; the owner's page says why. */
  async function showLocked(ctx: Context, details: Details): Promise<void> {
    const model: LockedViewModel = {
      uid: details.uid,
      csrfToken: ctx.state.csrfToken,
      clientName: await clientNameOf(provider, details),
      accountUrl: deps.unlockUrl,
    };
    deps.render(ctx, 'interaction/locked', model, 403);
  }

  return { show, submit, showLocked };
}

function recovery(deps: SignInPagesDeps, details: Details): Pick<Shown, 'recoveryUrl'> {
  return deps.recoveryPath ? { recoveryUrl: deps.recoveryPath(details.uid) } : {};
}
