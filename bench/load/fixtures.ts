import { BenchBrowser } from './browser.js';
import type { Endpoints } from './endpoints.js';
import { signIn, type BenchAccount } from './sign-in.js';
import type { BenchTarget } from '../support/bench-target.js';

/** What the scenarios need on one server, prepared before any measurement. */
export interface TargetFixtures {
  target: BenchTarget;
  endpoints: Endpoints;
  accounts: BenchAccount[];
  /** Returning people, one per sign-in worker: a browser with a session and a grant for the relying party. */
  returningBrowsers: BenchBrowser[];
  /** Unused refresh tokens; each refresh takes one and puts back the rotated one. */
  refreshTokens: string[];
  /** A person's access token that the relying party introspects. */
  accessToken: string;
}

/** Runs `count` tasks with at most `concurrency` at a time; resolves with their results in order. */
export async function inBatches<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** A new browser that signs the worker's account in once and consents, so that later sign-ins find the grant. */
export async function primedBrowser(target: BenchTarget, endpoints: Endpoints, account: BenchAccount): Promise<BenchBrowser> {
  const browser = new BenchBrowser(target);
  await signIn(target, endpoints, browser, account, { allowConsent: true });
  return browser;
}

export async function prepareFixtures(
  target: BenchTarget,
  endpoints: Endpoints,
  accounts: BenchAccount[],
  options: { signInWorkers: number; refreshTokens: number; concurrency: number },
): Promise<TargetFixtures> {
  const account = (index: number): BenchAccount => accounts[index % accounts.length] as BenchAccount;
  const returningBrowsers = await inBatches(options.signInWorkers, options.concurrency, (index) => primedBrowser(target, endpoints, account(index)));
  // offline_access is granted only with prompt=consent (OIDC Core 11), so each refresh token costs a consent.
  const offline = await inBatches(options.refreshTokens, options.concurrency, (index) =>
    signIn(target, endpoints, new BenchBrowser(target), account(index), { prompt: 'consent', scope: 'openid offline_access profile', allowConsent: true }),
  );
  const refreshTokens = offline.map((tokens) => {
    if (!tokens.refresh_token) throw new Error(`${target.name}: no refresh token for an offline_access sign-in`);
    return tokens.refresh_token;
  });
  const first = offline[0] ?? (await signIn(target, endpoints, new BenchBrowser(target), account(0), { allowConsent: true }));
  return { target, endpoints, accounts, returningBrowsers, refreshTokens, accessToken: first.access_token };
}

/** Sign-ins from new browsers (each a new session that stays); fails with the first reason if none completes. */
export async function freshSessions(
  target: BenchTarget,
  endpoints: Endpoints,
  accounts: BenchAccount[],
  count: number,
  concurrency: number,
  log: (line: string) => void,
): Promise<number> {
  let firstFailure: string | undefined;
  const outcomes = await inBatches(count, concurrency, async (index) => {
    const account = accounts[index % accounts.length] as BenchAccount;
    try {
      await signIn(target, endpoints, new BenchBrowser(target), account, { allowConsent: true });
      return true;
    } catch (error) {
      firstFailure ??= error instanceof Error ? error.message : String(error);
      return false;
    }
  });
  const completed = outcomes.filter(Boolean).length;
  if (completed === 0) throw new Error(`${target.name}: no sign-in completed: ${firstFailure ?? 'unknown reason'}`);
  if (firstFailure) log(`  ${target.name}: ${count - completed} of ${count} sign-ins failed, first: ${firstFailure}`);
  return completed;
}
