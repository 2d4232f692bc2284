import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { renderSVG } from 'uqr';
import type { Account } from '../../domain/account.js';
import { sessionLevel } from '../../domain/assurance-requirement.js';
import type { AcrNames } from '../../domain/levels.js';
import type { TotpEnrolmentOffer, TotpFactor } from '../../flows/sign-in/totp-factor.js';
import { nowSeconds, type Clock } from '../../shared/clock.js';
import type { MessageKey } from '../view-models.js';
import type { render } from '../views.js';
import { AUTHENTICATOR_PATH, OVERVIEW_PATH } from './account-paths.js';
import { startSignIn } from './account-session.js';
import { requireOwner, type OwnerGuardDeps } from './owner-guard.js';

export interface AuthenticatorPageDeps extends OwnerGuardDeps {
  totp: TotpFactor;
  acrNames: AcrNames;
  /** The flows' clock and the level-2 window: the page needs a level-2 sign-in of this session, still in its window. */
  clock: Clock;
  levelTwoWindowSeconds: number;
  /** Where a level-1 account is verified first (src/http/level2). */
  level2Path: string;
  render: typeof render;
  formBody: Middleware;
  requireCsrf: Middleware;
}

/** `account/authenticator`. */
export interface AuthenticatorViewModel {
  action: string;
  csrfToken: string;
  accountUrl: string;
  state: 'level_one' | 'enrolled' | 'offer';
  level2Url?: string;
  /** The secret to scan (QR code as an SVG data URI, drawn here: no outside service sees it) or to type. */
  offer?: { qrDataUri: string; secretGroups: string };
  notice?: MessageKey;
  error?: MessageKey;
}

/**
 * The owner sets up a TOTP authenticator app for level-2 sign-in (`/account/authenticator`; the overview links here).
 * Adding a second factor is itself a level-2 act: the page needs a level-2 sign-in of this session within its window
 * (a level-1 session is stepped up with the code by SMS), so a stolen password alone cannot enrol an attacker's app.
 * The secret is shown on this page only (never logged, stored sealed), and counts once the app's first code matches.
 */
export function createAuthenticatorRouter(deps: AuthenticatorPageDeps): Router {
  const router = new Router();
  const post = [deps.formBody, deps.requireCsrf] as const;

  function show(ctx: Context, model: Omit<AuthenticatorViewModel, 'action' | 'csrfToken' | 'accountUrl'>, status = 200): void {
    const full: AuthenticatorViewModel = { action: AUTHENTICATOR_PATH, csrfToken: ctx.state.csrfToken, accountUrl: OVERVIEW_PATH, ...model };
    deps.render(ctx, 'account/authenticator', full, status);
  }

  /** The signed-in level-2 owner, or undefined once the response is set (sign-in, step-up, or the level-1 page). */
  async function levelTwoOwner(ctx: Context): Promise<Account | undefined> {
    const owner = await requireOwner(ctx, deps, 'authenticator');
    if (!owner) return undefined;
    if (owner.account.level < 2) {
      show(ctx, { state: 'level_one', level2Url: deps.level2Path });
      return undefined;
    }
    const session = await deps.provider.Session.get(ctx);
    const level = sessionLevel(
      { acr: session.acr, authenticatedAt: typeof session.loginTs === 'number' ? session.loginTs : undefined },
      deps.acrNames,
      nowSeconds(deps.clock),
      deps.levelTwoWindowSeconds,
    );
    if (level !== 2) {
      startSignIn(ctx, { issuer: deps.issuer, maxAgeMs: deps.signInMaxAgeMs, returnTo: 'authenticator', acrValues: deps.acrNames[1] });
      return undefined;
    }
    return owner.account;
  }

  const offerModel = (offer: TotpEnrolmentOffer) => ({
    qrDataUri: `data:image/svg+xml;base64,${Buffer.from(renderSVG(offer.uri, { border: 2, ecc: 'M' })).toString('base64')}`,
    // Groups of four, as authenticator apps accept them typed with or without the spaces.
    secretGroups: offer.secretBase32.replace(/(.{4})(?=.)/g, '$1 '),
  });

  router.get(AUTHENTICATOR_PATH, async (ctx) => {
    const account = await levelTwoOwner(ctx);
    if (!account) return;
    if (await deps.totp.isEnrolled(account.id)) return show(ctx, { state: 'enrolled' });
    show(ctx, { state: 'offer', offer: offerModel(await deps.totp.offer(account.id, labelOf(account))) });
  });

  router.post(AUTHENTICATOR_PATH, ...post, async (ctx) => {
    const account = await levelTwoOwner(ctx);
    if (!account) return;
    const body = ctx.request.body as Record<string, unknown>;
    const confirmed = await deps.totp.confirm(account.id, typeof body.code === 'string' ? body.code : '');
    if (confirmed.ok) return show(ctx, { state: 'enrolled', notice: 'authenticator.done' });
    // An expired secret is replaced at once, so the page always shows one that works.
    const offer = await deps.totp.offer(account.id, labelOf(account));
    show(ctx, { state: 'offer', offer: offerModel(offer), error: `authenticator.errors.${confirmed.error}` }, 400);
  });

  router.post(`${AUTHENTICATOR_PATH}/new`, ...post, async (ctx) => {
    const account = await levelTwoOwner(ctx);
    if (!account) return;
    show(ctx, { state: 'offer', offer: offerModel(await deps.totp.renewOffer(account.id, labelOf(account))) });
  });

  router.post(`${AUTHENTICATOR_PATH}/remove`, ...post, async (ctx) => {
    const account = await levelTwoOwner(ctx);
    if (!account) return;
    await deps.totp.remove(account.id);
    show(ctx, { state: 'offer', offer: offerModel(await deps.totp.offer(account.id, labelOf(account))), notice: 'authenticator.removed' });
  });

  return router;
}

/** What the app lists the code under: the last digits of the identifier only (the app may back up to a cloud). */
function labelOf(account: Account): string {
  const identifier = account.identity.kind === 'citizen' ? account.identity.idNumber : account.identity.passportNumber;
  return `***${(identifier ?? '').slice(-4)}`;
}
