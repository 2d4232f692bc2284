/**
 * Every route of the built application and the inputs it takes (issue 6), checked against the routers by
 * route-inventory.test.ts: a new route fails that test until it is listed here, and so gets the header, CSRF and
 * hostile-input checks that read this list.
 *
 *   page     GET rendering HTML: security headers, CSP, no inline script (surface.test.ts)
 *   machine  GET answering JSON, text or files (health, metrics, static, OpenAPI, the dev outbox's JSON)
 *   redirect GET answering only with a redirect (the account pages' sign-in callback)
 *   form     a state-changing browser form: CSRF required (surface.test.ts), hostile values (hostile-forms.test.ts)
 *   upload   a multipart form: CSRF required, size limit (surface.test.ts), hostile files (hostile-forms.test.ts)
 *   api      the bearer-token API under /api/v1: no CSRF (no cookies), hostile JSON (hostile-api.test.ts)
 *
 * `inputs` are the fields a person or client fills; every form also carries `_csrf`, attacked on its own.
 */
export type RouteKind = 'page' | 'machine' | 'redirect' | 'form' | 'upload' | 'api';

export interface RouteInputs {
  kind: RouteKind;
  inputs: readonly string[];
}

const page: RouteInputs = { kind: 'page', inputs: [] };
const machine: RouteInputs = { kind: 'machine', inputs: [] };
const form = (...inputs: string[]): RouteInputs => ({ kind: 'form', inputs });
const api = (...inputs: string[]): RouteInputs => ({ kind: 'api', inputs });

const PERSON = ['fullName', 'birthDay', 'birthMonth', 'birthYear', 'gender', 'phone', 'email', 'channel', 'acceptTerms', 'acceptDataProcessing'];
const LOGIN = ['kind', 'idNumber', 'passportNumber', 'nationality', 'password'];

/** Registration runs standalone and inside a relying party's sign-in, with the same pages and inputs. */
function registrationRoutes(base: string): Record<string, RouteInputs> {
  return {
    [`GET ${base}`]: page,
    [`GET ${base}/citizen`]: page,
    [`POST ${base}/citizen`]: form('idNumber', ...PERSON),
    [`GET ${base}/foreigner`]: page,
    [`POST ${base}/foreigner`]: form('passportNumber', 'nationality', ...PERSON),
    [`GET ${base}/code`]: page,
    [`POST ${base}/code`]: form('code'),
    [`POST ${base}/code/resend`]: form(),
    [`GET ${base}/password`]: page,
    [`POST ${base}/password`]: form('password', 'passwordConfirm'),
    [`GET ${base}/done`]: page,
  };
}

function level2Routes(base: string): Record<string, RouteInputs> {
  return {
    [`GET ${base}`]: page,
    [`POST ${base}/consent`]: form('accept'),
    [`GET ${base}/photo`]: page,
    [`POST ${base}/photo`]: { kind: 'upload', inputs: ['photo'] },
    [`GET ${base}/result`]: page,
  };
}

export const ROUTE_INPUTS: Readonly<Record<string, RouteInputs>> = {
  'GET /static/:file': machine,
  'GET /healthz': machine,
  'GET /readyz': machine,
  'GET /metrics': machine,
  'GET /api/openapi.json': machine,
  'POST /api/v1/accounts/status': api('personalIdNumber', 'passportNumber', 'nationality'),
  'GET /api/v1/accounts/:accountId/locks': api('accountId'),
  'POST /api/v1/accounts/:accountId/locks': api('accountId', 'reason', 'note'),
  'POST /api/v1/accounts/:accountId/locks/:lockId/lift': api('accountId', 'lockId', 'note'),
  'POST /api/v1/accounts/:accountId/locks/:lockId/remediation': api('accountId', 'lockId', 'note'),
  'GET /api/v1/accounts/:accountId/audit': api('accountId', 'limit', 'before'),
  'GET /api/v1/accounts/:accountId/audit/export': api('accountId'),
  'POST /api/v1/registry/events': api('id', 'type', 'source', 'occurredAt', 'subject', 'changes', 'document', 'X-Vneid-Signature'),
  'POST /api/v1/level2/in-person': api('personalIdNumber', 'passportNumber', 'nationality', 'accountId', 'method', 'officerId', 'stationId', 'legalBasis', 'at'),
  'GET /api/v1/clients/suspensions': api(),
  'PUT /api/v1/clients/:clientId/suspension': api('clientId', 'reason'),
  'DELETE /api/v1/clients/:clientId/suspension': api('clientId'),
  ...level2Routes('/account/level2'),
  ...level2Routes('/interaction/:uid/level2'),
  'GET /interaction/:uid': page,
  'POST /interaction/:uid/login': form(...LOGIN),
  'POST /interaction/:uid/second-factor': form('method', 'code'),
  'POST /interaction/:uid/second-factor/send': form(),
  'POST /interaction/:uid/unmet': form(),
  'POST /interaction/:uid/confirm': form(),
  'POST /interaction/:uid/abort': form(),
  ...registrationRoutes('/register'),
  ...registrationRoutes('/interaction/:uid/register'),
  'GET /account': page,
  'GET /account/lock': page,
  'POST /account/lock': form(),
  'GET /account/unlock': page,
  'POST /account/unlock': form(...LOGIN, 'channel'),
  'GET /account/unlock/code': page,
  'POST /account/unlock/code': form('code'),
  'POST /account/unlock/code/resend': form(),
  'GET /account/password': page,
  'POST /account/password': form('currentPassword', 'newPassword', 'newPasswordConfirm'),
  'GET /account/contact': page,
  'POST /account/contact': form('kind', 'value'),
  'GET /account/contact/code': page,
  'POST /account/contact/code': form('code'),
  'POST /account/contact/code/resend': form(),
  'GET /account/services': page,
  'POST /account/services/revoke': form('clientId'),
  'GET /account/dependants': page,
  'POST /account/dependants': form('dependantKind', 'idNumber', 'passportNumber', 'nationality', ...PERSON),
  'GET /account/callback': { kind: 'redirect', inputs: ['code', 'state', 'iss'] },
  'GET /account/authenticator': page,
  'POST /account/authenticator': form('code'),
  'POST /account/authenticator/new': form(),
  'POST /account/authenticator/remove': form(),
  // Development only: mounted in outbox mode, which production refuses (server.ts, dev/outbox-router.ts).
  'GET /dev/outbox.json': machine,
  'GET /dev/outbox': page,
};

/**
 * The demo relying party (development only: mounted when `demoEnabled` and the clients file has `vneid-demo`, both
 * refused in production by config/loader.ts). GET only; its sign-in state is the provider's and its own cookie.
 */
export const DEMO_ROUTE_INPUTS: Readonly<Record<string, RouteInputs>> = {
  'GET /demo': page,
  'GET /demo/login': { kind: 'redirect', inputs: ['level'] },
  'GET /demo/callback': { kind: 'page', inputs: ['code', 'state', 'iss', 'error', 'error_description'] },
};

/** Routes of a kind, as `METHOD path` keys. */
export const routesOfKind = (kind: RouteKind): string[] =>
  Object.entries(ROUTE_INPUTS)
    .filter(([, inputs]) => inputs.kind === kind)
    .map(([key]) => key);

/** Splits a `METHOD path` key. */
export function parseRouteKey(key: string): { method: string; path: string } {
  const [method = '', path = ''] = key.split(' ');
  return { method, path };
}
