import Router from '@koa/router';
import type { Context } from 'koa';
import * as oidc from 'openid-client';
import { levelForAcr, satisfiesLevel, type AssuranceLevel } from '../../domain/levels.js';
import { demoText, type DemoText, type DemoTextKey } from './demo-text.js';
import { rememberPendingLogin, takePendingLogin } from './pending-login.js';

/**
 * A relying party built into the provider for development (ARCHITECTURE convention 10: refused in production by the
 * configuration check). It signs in against our own issuer exactly as an outside service would, through discovery,
 * the authorization code flow with PKCE and client_secret_basic, so a developer can watch every level end to end.
 */
export interface DemoRouterOptions {
  /** Our issuer; its discovery document is read on the first request, after the server listens. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the browser reaches this router (its redirect URI is <baseUrl>/demo/callback). */
  baseUrl: string;
  /** The acr names of level 1 and level 2 (Decision 34 Art 5). */
  acrValues: readonly [string, string];
  render: (ctx: Context, template: string, model: object, status?: number) => void;
}

const PATH = '/demo';
/** Everything the demo client is allowed, except offline_access, which would ask the user for consent each time. */
const DEMO_SCOPE = 'openid profile identity phone email';
const DISCOVERY_TIMEOUT_SECONDS = 5;

/** Our own issuer over plain http is accepted only on this machine, where no one can tamper with it. */
function isLocalIssuer(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

const parseLevel = (value: unknown): AssuranceLevel | undefined => (value === '1' ? 1 : value === '2' ? 2 : undefined);

interface DemoError {
  /** An OAuth error code from the provider, or one of ours (errors.* in demo-text.ts). */
  code: string;
  description?: string;
}

export function createDemoRouter(options: DemoRouterOptions): Router {
  const { clientId, clientSecret, acrValues, render } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const redirectUri = `${baseUrl}${PATH}/callback`;
  const issuer = new URL(options.issuer);
  const router = new Router({ prefix: PATH });

  let discovered: Promise<oidc.Configuration> | undefined;
  /** Discovery once, on first use; a failure is not cached, so the demo recovers when the provider answers. */
  function configuration(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(issuer, clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
        execute: isLocalIssuer(issuer) ? [oidc.allowInsecureRequests] : [],
        timeout: DISCOVERY_TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  function showError(ctx: Context, text: DemoText, error: DemoError, status: number): void {
    const key = `errors.${error.code}` as DemoTextKey;
    render(
      ctx,
      'demo/error',
      {
        title: text.errorTitle,
        text,
        code: error.code,
        description: error.description,
        explanation: key in text ? text[key] : text['errors.other'],
        homeUrl: PATH,
      },
      status,
    );
    ctx.status = status;
  }

  /** The provider's configuration, or an error page (HTTP 503) when it cannot be discovered. */
  async function configurationOrError(ctx: Context, text: DemoText): Promise<oidc.Configuration | undefined> {
    try {
      return await configuration();
    } catch (error) {
      showError(ctx, text, { code: 'provider_unreachable', description: (error as Error).message }, 503);
      return undefined;
    }
  }

  // Pages show tokens and one-time values: never cache them.
  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/', (ctx) => {
    const text = demoText(ctx);
    render(ctx, 'demo/index', {
      title: text.title,
      text,
      issuer: options.issuer,
      clientId,
      levels: [
        { level: 1, acr: acrValues[0], href: `${PATH}/login?level=1`, label: text.signInLevel1, hint: text.level1Hint },
        { level: 2, acr: acrValues[1], href: `${PATH}/login?level=2`, label: text.signInLevel2, hint: text.level2Hint },
      ],
    });
  });

  router.get('/login', async (ctx) => {
    const text = demoText(ctx);
    const level = parseLevel(ctx.query.level);
    if (level === undefined) return showError(ctx, text, { code: 'unknown_level' }, 400);
    const config = await configurationOrError(ctx, text);
    if (!config) return;
    const pending = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      level,
    };
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: DEMO_SCOPE,
      // Decision 34 Art 5.2: the service user chooses the level each of its services requires.
      acr_values: acrValues[level - 1] as string,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    rememberPendingLogin(ctx, PATH, pending);
    ctx.redirect(authorizationUrl.href);
  });

  router.get('/callback', async (ctx) => {
    const text = demoText(ctx);
    const pending = takePendingLogin(ctx, PATH);
    if (!pending) return showError(ctx, text, { code: 'login_expired' }, 400);
    const config = await configurationOrError(ctx, text);
    if (!config) return;

    const currentUrl = new URL(redirectUri);
    currentUrl.search = ctx.querystring;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        return showError(ctx, text, { code: error.error, description: error.error_description }, 400);
      }
      if (error instanceof oidc.ResponseBodyError) {
        return showError(ctx, text, { code: error.error, description: error.error_description }, 502);
      }
      return showError(ctx, text, { code: 'exchange_failed', description: (error as Error).message }, 502);
    }

    const claims = tokens.claims();
    if (!claims) return showError(ctx, text, { code: 'exchange_failed', description: 'no ID token' }, 502);
    let userinfo: string;
    try {
      userinfo = JSON.stringify(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub), null, 2);
    } catch (error) {
      userinfo = `${text['errors.other']} ${(error as Error).message}`;
    }
    const achievedAcr = typeof claims.acr === 'string' ? claims.acr : undefined;
    const achievedLevel = achievedAcr === undefined ? undefined : levelForAcr(achievedAcr, acrValues);
    render(ctx, 'demo/result', {
      title: text.resultTitle,
      text,
      requested: { level: pending.level, acr: acrValues[pending.level - 1] },
      achieved: { level: achievedLevel, acr: achievedAcr },
      // A relying party checks the level itself: the provider may answer with less than acr_values asked for.
      levelMet: achievedLevel !== undefined && satisfiesLevel(achievedLevel, pending.level),
      claimsJson: JSON.stringify(claims, null, 2),
      userinfoJson: userinfo,
      logoutUrl: endSessionUrl(config, tokens.id_token, `${baseUrl}${PATH}`),
      tryAgainUrl: `${PATH}/login?level=${pending.level}`,
      homeUrl: PATH,
    });
  });

  return router;
}

/** RP-initiated logout with the ID token as hint; undefined when the provider advertises no end_session_endpoint. */
function endSessionUrl(config: oidc.Configuration, idToken: string | undefined, postLogoutRedirectUri: string): string | undefined {
  if (!config.serverMetadata().end_session_endpoint || !idToken) return undefined;
  return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href;
}
