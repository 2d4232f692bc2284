import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import type * as oidc from 'openid-client';
import { API_SCOPES } from '../../src/domain/api-scopes.js';
import { BackchannelReceiver } from '../support/backchannel-receiver.js';
import { API_CLIENTS, lifecycleEnvironment, writeLifecycleClients } from '../support/lifecycle-harness.js';
import { callApi, tokenFor } from '../support/lifecycle-steps.js';
import { createCitizen, startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * "At once, in every instance" (Decision 34 Art 10): a lock recorded through instance A is enforced by instance B, both
 * sharing one Redis. Measures the time from the lock being recorded to B's first refusal of the account's access
 * token, and writes the figures to test-artifacts/lock-latency.json. Nothing here asserts a duration: the assertions
 * are that B refuses after the lock and served the token before it.
 */
describe('a lock takes effect in every instance', () => {
  let redis: TestRedisServer;
  let backchannel: BackchannelReceiver;
  let instanceA: RunningProvider;
  let instanceB: RunningProvider;
  let rpAtB: oidc.Configuration;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    backchannel = await BackchannelReceiver.start();
    const { publicKey } = await generateKeyPair('ES256');
    const environment = lifecycleEnvironment(writeLifecycleClients(backchannel.url, await exportJWK(publicKey)));
    instanceA = await startProvider(redis, environment);
    instanceB = await startProvider(redis, environment);
    rpAtB = await discoverAsRelyingParty(instanceB.issuer);
  });
  afterAll(async () => {
    await instanceA?.stop();
    await instanceB?.stop();
    await backchannel?.close();
    await redis?.destroy();
  });

  it('is enforced by instance B as soon as instance A has recorded it', async () => {
    const TRIALS = 20;
    const agency = await tokenFor(instanceA.issuer, API_CLIENTS.agencyA, `${API_SCOPES.lockRequest}`);
    const samples: { recordedToRefusalMs: number; callStartToRefusalMs: number; lockCallMs: number; pollsBeforeRefusal: number }[] = [];

    for (let trial = 0; trial < TRIALS; trial += 1) {
      const owner = await createCitizen(instanceA.container);
      const tokens = await logIn(rpAtB, new UserAgent(), owner, { scope: 'openid profile' });
      const userinfoAtB = (): Promise<Response> => fetch(`${instanceB.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const served = await userinfoAtB();
      await served.arrayBuffer();
      expect(served.status).toBe(200);

      const callStart = Date.now();
      let lockDone = false;
      const lock = callApi(instanceA.issuer, agency, 'POST', `/api/v1/accounts/${owner.account.id}/locks`, { note: `latency trial ${trial}` }).finally(() => {
        lockDone = true;
      });
      let refusedAt: number | undefined;
      let polls = 0;
      // Poll B back to back until it refuses; bounded, and never past the lock call by more than a few requests.
      while (refusedAt === undefined && polls < 10_000) {
        polls += 1;
        const response = await userinfoAtB();
        await response.arrayBuffer();
        if (response.status === 401) refusedAt = Date.now();
        else expect(lockDone).toBe(false);
      }
      const answer = await lock;
      const lockCallMs = Date.now() - callStart;
      expect(answer.status).toBe(201);
      expect(refusedAt).toBeDefined();
      const recordedAt = Date.parse(String((answer.body.lock as { at: string }).at));
      samples.push({
        recordedToRefusalMs: (refusedAt ?? 0) - recordedAt,
        callStartToRefusalMs: (refusedAt ?? 0) - callStart,
        lockCallMs,
        pollsBeforeRefusal: polls,
      });
    }

    const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
    const percentile = (values: number[], p: number): number => sorted(values)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
    const summary = {
      trials: TRIALS,
      note: 'ms; recordedToRefusal = lock.at (instance A) to the first 401 from instance B; both instances share one Redis on loopback',
      recordedToRefusal: { p50: percentile(samples.map((s) => s.recordedToRefusalMs), 50), p95: percentile(samples.map((s) => s.recordedToRefusalMs), 95), max: Math.max(...samples.map((s) => s.recordedToRefusalMs)) },
      callStartToRefusal: { p50: percentile(samples.map((s) => s.callStartToRefusalMs), 50), max: Math.max(...samples.map((s) => s.callStartToRefusalMs)) },
      lockCallWithAllEffects: { p50: percentile(samples.map((s) => s.lockCallMs), 50), max: Math.max(...samples.map((s) => s.lockCallMs)) },
      samples,
    };
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/lock-latency.json', `${JSON.stringify(summary, null, 2)}\n`);
    expect(samples).toHaveLength(TRIALS);
  });
});
