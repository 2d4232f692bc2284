import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import * as oidc from 'openid-client';
import { postToken, useProviderJourney } from '../support/journey.js';
import { authorizationRequest, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/** Polls /readyz until it answers 200, at most `attempts` times: the provider reconnects by itself. */
async function waitUntilReady(issuer: string, attempts = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const response = await fetch(`${issuer}/readyz`);
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('provider did not become ready again');
}

async function timed(request: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now();
  const response = await request();
  return { response, ms: performance.now() - started };
}

describe('while Redis is down the provider fails closed and recovers by itself', () => {
  const journey = useProviderJourney();

  it('answers 503 with a clear page or JSON, issues nothing, and works again once Redis is back', async () => {
    // A session and a refresh token obtained before the outage.
    const agent = new UserAgent();
    const before = await logIn(journey.rp, agent, journey.citizen, { scope: 'openid offline_access', prompt: 'consent' });
    const pending = await authorizationRequest(journey.rp);

    await journey.redis.stop();

    const token = await timed(() =>
      postToken(journey.running.issuer, { grant_type: 'refresh_token', refresh_token: before.refresh_token ?? '' }),
    );
    expect(token.response.status).toBe(503);
    expect(token.response.headers.get('content-type')).toContain('application/problem+json');
    expect(token.response.headers.get('retry-after')).toBeTruthy();
    const problem = (await token.response.json()) as Record<string, unknown>;
    expect(problem.access_token).toBeUndefined();
    expect(problem.code).toBe('service_unavailable');

    const authorize = await timed(() =>
      fetch(pending.url, { redirect: 'manual', headers: { accept: 'text/html' } }),
    );
    expect(authorize.response.status).toBe(503);
    expect(authorize.response.headers.get('location')).toBeNull();
    expect(await authorize.response.text()).toContain('<html');

    const ready = await fetch(`${journey.running.issuer}/readyz`);
    expect(ready.status).toBe(503);
    // Generous bound for a loaded CI machine; the figure itself is reported by the benchmark, not asserted here.
    expect(Math.max(token.ms, authorize.ms)).toBeLessThan(1500);

    await journey.redis.start();
    await waitUntilReady(journey.running.issuer);

    // Everything issued before the outage is still there (AOF), and new logins work without a provider restart.
    const refreshed = await oidc.refreshTokenGrant(journey.rp, before.refresh_token ?? '');
    expect(refreshed.access_token).toBeTruthy();
    const after = await logIn(journey.rp, new UserAgent(), journey.citizen);
    expect(after.claims()?.sub).toBe(journey.citizen.account.id);
  });

  it('turns an outage in the middle of a provider request into a 503, not a 500 or a redirect', async () => {
    const agent = new UserAgent();
    const before = await logIn(journey.rp, agent, journey.citizen, { scope: 'openid offline_access', prompt: 'consent' });
    const admin = journey.redis.client();
    try {
      // Redis stays connected but stops answering for longer than the command timeout, so the provider's own
      // storage call fails after it has started handling the request.
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const token = await postToken(journey.running.issuer, {
        grant_type: 'refresh_token',
        refresh_token: before.refresh_token ?? '',
      });
      expect(token.status).toBe(503);
      expect(((await token.json()) as Record<string, unknown>).access_token).toBeUndefined();
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
    await waitUntilReady(journey.running.issuer);
    const refreshed = await oidc.refreshTokenGrant(journey.rp, before.refresh_token ?? '');
    expect(refreshed.access_token).toBeTruthy();
  });
});
