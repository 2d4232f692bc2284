import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import { signRegistryEvent } from '../../src/http/api/registry-signature.js';
import type { ApiClientCredentials } from './lifecycle-harness.js';
import { OPERATOR_CLIENT_ID, REGISTRY_EVENT_KEY } from './lifecycle-harness.js';

/** What an API call answered. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function answerOf(response: Response): Promise<ApiAnswer> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A client-credentials token, client_secret_basic; the raw answer when the token endpoint refuses. */
export async function tokenFor(issuer: string, client: ApiClientCredentials, scope: string): Promise<string> {
  const answer = await tokenRequest(issuer, client, scope);
  if (answer.status !== 200) throw new Error(`token endpoint answered ${answer.status}: ${answer.text}`);
  return String(answer.body.access_token);
}

export async function tokenRequest(issuer: string, client: ApiClientCredentials, scope: string): Promise<ApiAnswer> {
  return answerOf(
    await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
    }),
  );
}

/** The operator's token: client authentication by a JWT signed with its registered key (private_key_jwt). */
export async function operatorToken(issuer: string, key: CryptoKey, scope: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'operator-1' })
    .setIssuer(OPERATOR_CLIENT_ID)
    .setSubject(OPERATOR_CLIENT_ID)
    .setAudience(issuer)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(key);
  const answer = await answerOf(
    await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        client_id: OPERATOR_CLIENT_ID,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    }),
  );
  if (answer.status !== 200) throw new Error(`token endpoint answered ${answer.status}: ${answer.text}`);
  return String(answer.body.access_token);
}

/** One API call with a bearer token and a JSON body. */
export async function callApi(
  issuer: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  return answerOf(
    await fetch(`${issuer}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    }),
  );
}

/** A registry event as the registry pushes it: the exact body signed with the shared key (docs/api.md). */
export async function pushRegistryEvent(issuer: string, token: string, event: Record<string, unknown>, key = REGISTRY_EVENT_KEY): Promise<ApiAnswer> {
  const raw = JSON.stringify({ occurredAt: new Date().toISOString(), ...event });
  const timestamp = Math.floor(Date.now() / 1000);
  return callApi(issuer, token, 'POST', '/api/v1/registry/events', raw, {
    'X-Vneid-Signature': `t=${timestamp},v1=${signRegistryEvent(key, timestamp, raw)}`,
  });
}

/** A token-endpoint request as test-rp, for raw answers (refresh races). */
export function refreshAs(issuer: string, client: ApiClientCredentials, refreshToken: string): Promise<Response> {
  return fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
}

/** Introspection as the client the token was issued to. */
export async function introspect(issuer: string, client: ApiClientCredentials, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

export async function userinfoStatus(issuer: string, accessToken: string): Promise<number> {
  const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  return response.status;
}
