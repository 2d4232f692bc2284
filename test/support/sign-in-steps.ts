import * as oidc from 'openid-client';
import { Secret, TOTP } from 'otpauth';
import type { Container } from '../../src/container.js';
import type { AssuranceLevel } from '../../src/domain/levels.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createCitizen, TEST_CLIENT, type AccountFixture } from './provider-harness.js';
import { authorizationRequest, type AuthorizationRequest } from './relying-party.js';
import { findForm, type Page, type UserAgent } from './user-agent.js';

/**
 * Steps of the sign-in journeys (levels, second factors, throttling): what a person does on each page, and what a
 * relying party does with the answer. Pages are asked for in English (`?lang=en`) where text is compared.
 */

export const LEVEL_1 = 'urn:vn:eid:loa:1';
export const LEVEL_2 = 'urn:vn:eid:loa:2';

/** The flows' clock of a sign-in journey: starts at the real time (the provider's own clock), moved by hand. */
export const signInClock = (): ManualClock => new ManualClock(Date.now());

let phoneSequence = 0;

/** A mobile number no other fixture of this run uses, so the outbox and the per-phone limits are per person. */
export function freshPhone(): string {
  phoneSequence += 1;
  return `+8491${String(process.pid % 1000).padStart(3, '0')}${String(phoneSequence).padStart(4, '0')}`;
}

/** An active citizen at `level` with a phone number of their own. */
export function citizenAt(container: Container, level: AssuranceLevel, extra: { phone?: string } = {}): Promise<AccountFixture> {
  return createCitizen(container, { level, phone: extra.phone ?? freshPhone() });
}

/** Opens the authorization URL and stops at the page the provider shows (or at the relying party). */
export async function startSignIn(
  rp: oidc.Configuration,
  agent: UserAgent,
  params: Record<string, string> = {},
): Promise<{ request: AuthorizationRequest; page: Page }> {
  const request = await authorizationRequest(rp, { scope: 'openid profile', ...params });
  const page = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
  return { request, page };
}

export const atRelyingParty = (page: Page): boolean => page.url.startsWith(TEST_CLIENT.redirectUri);
export const isPasswordPage = (page: Page): boolean => page.status !== 0 && /action="[^"]*\/login"/.test(page.html);
export const isSecondFactorPage = (page: Page): boolean => page.status !== 0 && /action="[^"]*\/second-factor"/.test(page.html);

/** The sign-in form with the fixture's ID number and password. */
export function enterPassword(agent: UserAgent, page: Page, fixture: AccountFixture, password = fixture.password): Promise<Page> {
  return agent.submit(page, '/login', { ...fixture.loginFields, password }, TEST_CLIENT.redirectUri);
}

/** The second-factor form: the code, with the method the page shows. */
export function enterCode(agent: UserAgent, page: Page, code: string): Promise<Page> {
  return agent.submit(page, '/second-factor', { code }, TEST_CLIENT.redirectUri);
}

/** The method the second-factor page asks for (`sms` or `totp`). */
export const methodOf = (page: Page): string | undefined => findForm(page.html, '/second-factor').hidden.method;

interface OutboxMessage {
  to: string;
  template: string;
  params: Record<string, string>;
}

async function outbox(issuer: string, to: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${issuer}/dev/outbox.json?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`outbox answered ${response.status}`);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages.filter((message) => message.template === 'sign_in_code');
}

/** The latest sign-in code sent by SMS to `phone`, read from the development outbox. */
export async function readSignInCode(issuer: string, phone: string): Promise<string> {
  const code = (await outbox(issuer, phone))[0]?.params.code;
  if (!code) throw new Error(`no sign-in code in the outbox for ${phone}`);
  return code;
}

export async function signInCodesSentTo(issuer: string, phone: string): Promise<number> {
  return (await outbox(issuer, phone)).length;
}

/** A 6-digit code that is certainly wrong: the right one with its last digit changed. */
export const wrongCode = (right: string): string => `${right.slice(0, 5)}${(Number(right.slice(5)) + 1) % 10}`;

/** The person's authenticator app: the code for the secret at the flows' clock (RFC 6238, 30-second steps). */
export function totpCode(secretBase32: string, clock: ManualClock): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now() });
}

/** Enrols a TOTP app for the account through the sign-in service (the enrolment page has its own journey). */
export async function enrolTotp(container: Container, fixture: AccountFixture, clock: ManualClock): Promise<string> {
  const offer = await container.signInService.totp.offer(fixture.account.id, 'test');
  const confirmed = await container.signInService.totp.confirm(fixture.account.id, totpCode(offer.secretBase32, clock));
  if (!confirmed.ok) throw new Error(`TOTP enrolment failed: ${confirmed.error}`);
  // The confirming code's step is used: move to the next step so the first sign-in code is a fresh one.
  clock.advance(30_000);
  return offer.secretBase32;
}

/** The code exchange a relying party does at its redirect URI, with every check openid-client makes. */
export async function exchange(
  rp: oidc.Configuration,
  request: AuthorizationRequest,
  callback: Page,
  checks: { maxAge?: number } = {},
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  if (!atRelyingParty(callback)) throw new Error(`expected the relying party, got ${callback.status} at ${callback.url}: ${callback.html.replace(/[\s\S]*<main[^>]*>/, '').slice(0, 1500)}`);
  return oidc.authorizationCodeGrant(rp, new URL(callback.url), {
    pkceCodeVerifier: request.verifier,
    expectedNonce: request.nonce,
    expectedState: request.state,
    idTokenExpected: true,
    ...(checks.maxAge !== undefined ? { maxAge: checks.maxAge } : {}),
  });
}

/** The OAuth error the relying party receives at its redirect URI. */
export const errorAt = (page: Page): string | null => (atRelyingParty(page) ? new URL(page.url).searchParams.get('error') : null);
