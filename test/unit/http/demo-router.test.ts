import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import Koa from 'koa';
import { createDemoRouter } from '../../../src/http/demo/demo-router.js';
import { PENDING_LOGIN_COOKIE } from '../../../src/http/demo/pending-login.js';
import { freePort } from '../../../src/shared/free-port.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * The demo relying party against a stand-in provider that checks what a real one checks at its token endpoint
 * (client_secret_basic, the PKCE S256 verifier, the redirect URI) and signs real ID tokens.
 */

const CLIENT_ID = 'vneid-demo';
const CLIENT_SECRET = 'demo-secret-for-unit-tests-0123456789abcdef';
const ACR: readonly [string, string] = ['urn:vn:eid:loa:1', 'urn:vn:eid:loa:2'];

interface IssuedCode {
  codeChallenge: string;
  nonce: string;
  redirectUri: string;
  acr: string;
}

class StandInProvider {
  readonly codes = new Map<string, IssuedCode>();
  private readonly server: Server;
  issuer = '';
  private key?: { privateKey: CryptoKey; jwk: Record<string, unknown> };

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(port = 0): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    this.key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' } };
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** What the provider does after the user signs in: a code bound to the request's PKCE challenge and nonce. */
  issueCode(authorizationUrl: URL, acr: string): string {
    const code = randomBytes(16).toString('base64url');
    const param = (name: string): string => authorizationUrl.searchParams.get(name) ?? '';
    this.codes.set(code, { codeChallenge: param('code_challenge'), nonce: param('nonce'), redirectUri: param('redirect_uri'), acr });
    return code;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/auth`,
        token_endpoint: `${this.issuer}/token`,
        userinfo_endpoint: `${this.issuer}/me`,
        jwks_uri: `${this.issuer}/jwks`,
        end_session_endpoint: `${this.issuer}/session/end`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [this.key?.jwk] });
    if (url.pathname === '/me') {
      return req.headers.authorization === 'Bearer access-token-1'
        ? json(200, { sub: 'account-1', name: 'Nguyễn Văn A' })
        : json(401, { error: 'invalid_token' });
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (basicCredentials(req.headers.authorization) !== `${CLIENT_ID}:${CLIENT_SECRET}` || form.has('client_secret')) {
        return json(401, { error: 'invalid_client' });
      }
      const issued = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!issued || issued.codeChallenge !== challenge || issued.redirectUri !== form.get('redirect_uri')) {
        return json(400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
      }
      const idToken = await new SignJWT({ nonce: issued.nonce, acr: issued.acr, auth_time: Math.floor(Date.now() / 1000) })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(this.issuer)
        .setAudience(CLIENT_ID)
        .setSubject('account-1')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(this.key?.privateKey as CryptoKey);
      return json(200, { access_token: 'access-token-1', token_type: 'Bearer', expires_in: 600, id_token: idToken });
    }
    json(404, { error: 'not_found' });
  }
}

/** RFC 6749 2.3.1: the id and secret are form-urlencoded before base64, as openid-client sends them. */
function basicCredentials(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const [id = '', secret = ''] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  const decode = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  return `${decode(id)}:${decode(secret)}`;
}

interface Rendered {
  template: string;
  model: Record<string, unknown>;
}

/** Our application with the demo router, rendering view models as JSON so that the tests can read them. */
async function startDemoApp(issuer: string): Promise<{ baseUrl: string; server: Server }> {
  const app = new Koa();
  app.keys = ['demo-router-test-cookie-key-0123456789abcdef'];
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const router = createDemoRouter({
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl,
    acrValues: ACR,
    render: (ctx, template, model, status) => {
      ctx.status = status ?? 200;
      ctx.body = { template, model };
    },
  });
  app.use(router.routes());
  server.on('request', app.callback());
  return { baseUrl, server };
}

const rendered = (html: string): Rendered => JSON.parse(html) as Rendered;

let provider: StandInProvider;
let demo: { baseUrl: string; server: Server };

beforeAll(async () => {
  provider = new StandInProvider();
  await provider.start();
  demo = await startDemoApp(provider.issuer);
});

afterAll(async () => {
  demo.server.closeAllConnections();
  await new Promise((resolve) => demo.server.close(resolve));
  await provider.close();
});

/** Starts a sign-in at the demo and stops where the browser would arrive at the provider. */
async function startSignIn(browser: UserAgent, level: 1 | 2, baseUrl = demo.baseUrl, issuer = provider.issuer): Promise<URL> {
  const page = await browser.navigate(`${baseUrl}/demo/login?level=${level}`, issuer);
  return new URL(page.url);
}

describe('demo relying party', () => {
  it('offers a sign-in at each level', async () => {
    const page = await new UserAgent().navigate(`${demo.baseUrl}/demo`);
    const { template, model } = rendered(page.html);
    expect(template).toBe('demo/index');
    expect(model.levels).toEqual([
      expect.objectContaining({ level: 1, acr: ACR[0], href: '/demo/login?level=1' }),
      expect.objectContaining({ level: 2, acr: ACR[1], href: '/demo/login?level=2' }),
    ]);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('sends the browser to the provider with the chosen level, PKCE S256, state and nonce', async () => {
    const authorization = await startSignIn(new UserAgent(), 2);
    expect(`${authorization.origin}${authorization.pathname}`).toBe(`${provider.issuer}/auth`);
    const params = Object.fromEntries(authorization.searchParams);
    expect(params).toEqual(
      expect.objectContaining({
        client_id: CLIENT_ID,
        response_type: 'code',
        redirect_uri: `${demo.baseUrl}/demo/callback`,
        scope: 'openid profile identity phone email',
        acr_values: ACR[1],
        code_challenge_method: 'S256',
      }),
    );
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.state?.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce?.length).toBeGreaterThanOrEqual(32);
    const level1 = await startSignIn(new UserAgent(), 1);
    expect(level1.searchParams.get('acr_values')).toBe(ACR[0]);
    expect(level1.searchParams.get('state')).not.toBe(params.state);
  });

  it('keeps the attempt in a signed, HttpOnly, SameSite=Lax cookie scoped to the demo', async () => {
    const response = await fetch(`${demo.baseUrl}/demo/login?level=1`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const cookies = response.headers.getSetCookie();
    const attempt = cookies.find((line) => line.startsWith(`${PENDING_LOGIN_COOKIE}=`)) ?? '';
    expect(attempt).toMatch(/path=\/demo/i);
    expect(attempt).toMatch(/httponly/i);
    expect(attempt).toMatch(/samesite=lax/i);
    expect(attempt).toMatch(/expires=/i);
    expect(cookies.some((line) => line.startsWith(`${PENDING_LOGIN_COOKIE}.sig=`))).toBe(true);
  });

  it('exchanges the code and shows the claims, the level achieved, userinfo and a sign-out link', async () => {
    const browser = new UserAgent();
    const authorization = await startSignIn(browser, 2);
    const code = provider.issueCode(authorization, ACR[1]);
    const state = authorization.searchParams.get('state') ?? '';
    const page = await browser.navigate(`${demo.baseUrl}/demo/callback?code=${code}&state=${state}`);
    const { template, model } = rendered(page.html);
    expect(page.status).toBe(200);
    expect(template).toBe('demo/result');
    expect(model.requested).toEqual({ level: 2, acr: ACR[1] });
    expect(model.achieved).toEqual({ level: 2, acr: ACR[1] });
    expect(model.levelMet).toBe(true);
    const claims = JSON.parse(String(model.claimsJson)) as Record<string, unknown>;
    expect(claims).toEqual(expect.objectContaining({ sub: 'account-1', aud: CLIENT_ID, acr: ACR[1], iss: provider.issuer }));
    expect(JSON.parse(String(model.userinfoJson))).toEqual({ sub: 'account-1', name: 'Nguyễn Văn A' });
    const logout = new URL(String(model.logoutUrl));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${demo.baseUrl}/demo`);
    expect(logout.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3);
    expect(model.tryAgainUrl).toBe('/demo/login?level=2');
  });

  it('warns when the provider returns a lower level than was asked for', async () => {
    const browser = new UserAgent();
    const authorization = await startSignIn(browser, 2);
    const code = provider.issueCode(authorization, ACR[0]);
    const state = authorization.searchParams.get('state') ?? '';
    const { model } = rendered((await browser.navigate(`${demo.baseUrl}/demo/callback?code=${code}&state=${state}`)).html);
    expect(model.achieved).toEqual({ level: 1, acr: ACR[0] });
    expect(model.levelMet).toBe(false);
  });

  it.each([
    ['unmet_authentication_requirements', 'level 2 not reached', 'could not sign in at the level'],
    ['access_denied', 'End-User aborted interaction', 'cancelled or refused'],
  ])('shows the provider error %s clearly', async (error, description, explanation) => {
    const browser = new UserAgent();
    const authorization = await startSignIn(browser, 2);
    const state = authorization.searchParams.get('state') ?? '';
    const query = new URLSearchParams({ error, error_description: description, state });
    const page = await browser.navigate(`${demo.baseUrl}/demo/callback?${query}`);
    const { template, model } = rendered(page.html);
    expect(page.status).toBe(400);
    expect(template).toBe('demo/error');
    expect(model.code).toBe(error);
    expect(model.description).toBe(description);
    expect(String(model.explanation)).toContain(explanation);
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    const browser = new UserAgent();
    const authorization = await startSignIn(browser, 1);
    const code = provider.issueCode(authorization, ACR[0]);
    const { model } = rendered((await browser.navigate(`${demo.baseUrl}/demo/callback?code=${code}&state=forged`)).html);
    expect(model.code).toBe('exchange_failed');
    expect(provider.codes.has(code)).toBe(true);
  });

  it('uses an attempt once only', async () => {
    const browser = new UserAgent();
    const authorization = await startSignIn(browser, 1);
    const state = authorization.searchParams.get('state') ?? '';
    const code = provider.issueCode(authorization, ACR[0]);
    await browser.navigate(`${demo.baseUrl}/demo/callback?code=${code}&state=${state}`);
    const replay = await browser.navigate(`${demo.baseUrl}/demo/callback?code=${code}&state=${state}`);
    expect(replay.status).toBe(400);
    expect(rendered(replay.html).model.code).toBe('login_expired');
  });

  it('refuses a callback without the attempt cookie, or with a forged one', async () => {
    const missing = await new UserAgent().navigate(`${demo.baseUrl}/demo/callback?code=x&state=y`);
    expect(rendered(missing.html).model.code).toBe('login_expired');

    const forgedValue = Buffer.from(JSON.stringify({ state: 'y', nonce: 'n', codeVerifier: 'v', level: 2 })).toString('base64url');
    const forged = await fetch(`${demo.baseUrl}/demo/callback?code=x&state=y`, {
      headers: { cookie: `${PENDING_LOGIN_COOKIE}=${forgedValue}; ${PENDING_LOGIN_COOKIE}.sig=forged` },
    });
    expect(rendered(await forged.text()).model.code).toBe('login_expired');
  });

  it('refuses an unknown level', async () => {
    const page = await new UserAgent().navigate(`${demo.baseUrl}/demo/login?level=3`);
    expect(page.status).toBe(400);
    expect(rendered(page.html).model.code).toBe('unknown_level');
  });

  it('says the provider cannot be reached instead of failing, and recovers once it answers', async () => {
    // A demo that starts before its provider: discovery is retried on each request until it succeeds.
    const port = await freePort();
    const early = await startDemoApp(`http://127.0.0.1:${port}`);
    const late = new StandInProvider();
    try {
      const page = await new UserAgent().navigate(`${early.baseUrl}/demo/login?level=1`);
      expect(page.status).toBe(503);
      expect(rendered(page.html).model.code).toBe('provider_unreachable');

      await late.start(port);
      const retry = await startSignIn(new UserAgent(), 1, early.baseUrl, late.issuer);
      expect(retry.searchParams.get('acr_values')).toBe(ACR[0]);
    } finally {
      early.server.closeAllConnections();
      await new Promise((resolve) => early.server.close(resolve));
      await late.close();
    }
  });

  it('translates through ctx.state.t when the application provides it', async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.t = (key: string) => (key === 'demo.signInLevel1' ? 'Đăng nhập mức 1' : key);
      await next();
    });
    app.use(
      createDemoRouter({
        issuer: provider.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        baseUrl: 'http://localhost:3000',
        acrValues: ACR,
        render: (ctx, template, model) => {
          ctx.body = { template, model };
        },
      }).routes(),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/demo`);
      const { model } = rendered(await response.text());
      const text = model.text as Record<string, string>;
      expect(text.signInLevel1).toBe('Đăng nhập mức 1');
      // A key the catalogue lacks falls back to English instead of showing the bare key.
      expect(text.signInLevel2).toBe('Sign in at level 2');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
