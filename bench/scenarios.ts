import { BENCH_RP, BENCH_SERVICE, basicAuthorization } from './bench-clients.js';
import { runClosedLoop } from './load/closed-loop.js';
import { primedBrowser, type TargetFixtures } from './load/fixtures.js';
import { runHttpLoad, type HttpLoad } from './load/http-load.js';
import type { LoadOutcome } from './load/load-outcome.js';
import { signIn, type BenchAccount } from './load/sign-in.js';
import type { ScenarioName } from './report/results.js';

export interface LoadSettings {
  connections: number;
  signInConcurrency: number;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  unit: 'request' | 'sign-in';
  run(fixtures: TargetFixtures, seconds: number, settings: LoadSettings): Promise<LoadOutcome>;
}

const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const apiHeaders = (client: { id: string; secret: string }): Record<string, string> => ({
  authorization: basicAuthorization(client),
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json',
});

function httpScenario(name: ScenarioName, title: string, load: (fixtures: TargetFixtures) => HttpLoad): Scenario {
  return {
    name,
    title,
    unit: 'request',
    run: (fixtures, seconds, settings) => runHttpLoad(fixtures.target, load(fixtures), settings.connections, seconds),
  };
}

/**
 * Refresh tokens rotate: each request takes an unused token from the pool and the response's new token goes back, so
 * no token is ever sent twice (which would count as a replay and revoke the grant).
 */
function refreshLoad(fixtures: TargetFixtures): HttpLoad {
  const pool = fixtures.refreshTokens;
  return {
    url: fixtures.endpoints.token,
    method: 'POST',
    headers: apiHeaders(BENCH_RP),
    nextBody: () => {
      const token = pool.pop();
      return token === undefined ? undefined : form({ grant_type: 'refresh_token', refresh_token: token });
    },
    onResponse: (status, body) => {
      if (status !== 200) return;
      const rotated = (JSON.parse(body) as { refresh_token?: unknown }).refresh_token;
      if (typeof rotated === 'string') pool.push(rotated);
    },
  };
}

const fullSignIn: Scenario = {
  name: 'full-sign-in',
  title: 'Full sign-in, level 1 (argon2id)',
  unit: 'sign-in',
  run: (fixtures, seconds, settings) => {
    const { target, endpoints, returningBrowsers } = fixtures;
    const account = (worker: number): BenchAccount => fixtures.accounts[worker % fixtures.accounts.length] as BenchAccount;
    const browserOf = (worker: number) => {
      const browser = returningBrowsers[worker];
      if (!browser) throw new Error(`no primed browser for sign-in worker ${worker}`);
      return browser;
    };
    return runClosedLoop(
      Math.min(settings.signInConcurrency, returningBrowsers.length),
      seconds,
      // A returning person: the browser has a session, prompt=login asks for the password again, and the grant
      // from the first visit means no consent page.
      async (worker) => {
        await signIn(target, endpoints, browserOf(worker), account(worker), { prompt: 'login', allowConsent: false });
      },
      async (worker) => {
        returningBrowsers[worker] = await primedBrowser(target, endpoints, account(worker));
      },
    );
  },
};

export const SCENARIOS: readonly Scenario[] = [
  httpScenario('discovery', 'Discovery document', (fixtures) => ({ url: fixtures.endpoints.discovery, method: 'GET', headers: { accept: 'application/json' } })),
  httpScenario('jwks', 'JWKS', (fixtures) => ({ url: fixtures.endpoints.jwks, method: 'GET', headers: { accept: 'application/json' } })),
  httpScenario('client-credentials', 'Client credentials grant', (fixtures) => ({
    url: fixtures.endpoints.token,
    method: 'POST',
    headers: apiHeaders(BENCH_SERVICE),
    body: form({ grant_type: 'client_credentials' }),
  })),
  httpScenario('refresh-token', 'Refresh-token grant (rotating)', refreshLoad),
  httpScenario('introspection', 'Token introspection', (fixtures) => ({
    url: fixtures.endpoints.introspection,
    method: 'POST',
    headers: apiHeaders(BENCH_RP),
    body: form({ token: fixtures.accessToken, token_type_hint: 'access_token' }),
    reject: (body) => (body.includes('"active":true') ? undefined : 'token reported inactive'),
  })),
  fullSignIn,
];
