import type { RunningProvider, AccountFixture } from './provider-harness.js';
import { createCitizen } from './provider-harness.js';
import { findForm, UserAgent, type Page } from './user-agent.js';
import type { AssuranceLevel } from '../../src/domain/levels.js';
import { freshPhone } from './sign-in-steps.js';

/**
 * Steps of the owner's account pages (`/account`): a person with contacts of their own, signing in to the pages
 * through the provider, reading codes and notices from the development outbox, and ageing a sign-in. Pages are asked
 * for in English (`?lang=en` sets the language cookie).
 */

export interface Owner extends AccountFixture {
  phone: string;
  email: string;
}

let emailSequence = 0;

/** An active citizen with a phone number and an email no other fixture of this run uses. */
export async function ownerWithContacts(running: RunningProvider, options: { level?: AssuranceLevel; password?: string } = {}): Promise<Owner> {
  const phone = freshPhone();
  emailSequence += 1;
  const email = `owner${process.pid % 1000}x${emailSequence}@example.vn`;
  const fixture = await createCitizen(running.container, { phone, ...options });
  const account = await running.container.accounts.update(fixture.account.id, (stored) => ({ ...stored, email }));
  if (!account) throw new Error('fixture account vanished');
  return { ...fixture, account, phone, email };
}

/** A browser sent from `/account` (or `path`) through the sign-in page; returns the page it is brought back to. */
export async function signInToAccountPages(running: RunningProvider, owner: AccountFixture, path = '/account', agent = new UserAgent()): Promise<{ agent: UserAgent; page: Page }> {
  const loginPage = await agent.navigate(`${running.issuer}${path}${path.includes('?') ? '&' : '?'}lang=en`);
  if (!/action="[^"]*\/login"/.test(loginPage.html)) throw new Error(`expected the sign-in page, got ${loginPage.status} at ${loginPage.url}`);
  const page = await agent.submit(loginPage, '/login', owner.loginFields);
  return { agent, page };
}

interface OutboxMessage {
  to: string;
  template: string;
  params: Record<string, string>;
}

/** The messages the development outbox caught for `to`, newest first, of one template. */
export async function outboxFor(issuer: string, to: string, template: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${issuer}/dev/outbox.json?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`outbox answered ${response.status}`);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages.filter((message) => message.template === template);
}

export async function latestCode(issuer: string, to: string, template: string): Promise<string> {
  const code = (await outboxFor(issuer, to, template))[0]?.params.code;
  if (!code) throw new Error(`no ${template} in the outbox for ${to}`);
  return code;
}

/**
 * Makes every session of the account look signed in `minutes` ago (its `loginTs`), as if the person had signed in
 * then: the provider's own clock is real, so the stored session is what is aged, not time.
 */
export async function ageSignIn(running: RunningProvider, accountId: string, minutes: number): Promise<void> {
  const { keys } = running.container;
  const redis = running.container.redis;
  const members = await redis.zrange(keys.oidcAccountIndex(accountId), '0', '-1');
  for (const member of members.filter((entry) => entry.startsWith('Session:'))) {
    const key = keys.oidcModel('Session', member.slice('Session:'.length));
    const payload = await redis.hget(key, 'payload');
    if (payload === null) continue;
    const session = JSON.parse(payload) as { loginTs?: number };
    session.loginTs = (session.loginTs ?? Math.floor(Date.now() / 1000)) - minutes * 60;
    await redis.hset(key, 'payload', JSON.stringify(session));
  }
}

/** Whether the page is the provider's sign-in form (the browser was sent to sign in). */
export const isSignInPage = (page: Page): boolean => /action="[^"]*\/interaction\/[^"]*\/login"/.test(page.html);

/** Submits the form whose action contains `action` with no fields but its hidden ones. */
export function press(agent: UserAgent, page: Page, action: string, fields: Record<string, string> = {}): Promise<Page> {
  findForm(page.html, action);
  return agent.submit(page, action, fields);
}
