import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loginKeyOf } from '../../src/domain/account.js';
import type { CitizenRecord } from '../../src/domain/registry.js';
import { FileRegistry } from '../../src/registries/file/file-registry.js';
import { CITIZEN_LOOKUP_PATH } from '../../src/registries/http/http-population-registry.js';
import { ensureDevRegistryDataset } from '../../src/registries/synthetic/generate-dataset.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { FakeAgencyServer, type AgencyBehaviour } from '../support/fake-agency-server.js';
import { latencySummary, roundMs, writeFaultFigures } from '../support/fault-figures.js';
import { startProvider, TEST_REGISTRY_AS_OF, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import {
  citizenFields,
  freshContact,
  personas,
  registrationClock,
  shown,
} from '../support/registration-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

/**
 * Issue 6: the population registry down (503) or slow (answering after the client's timeout) while people register.
 * Each attempt ends on the "try again later" page (503, Retry-After, in the person's language), nothing is created,
 * and after `failureThreshold` failures the circuit opens: registrations fail at once without the registry being
 * asked, until `openMs` has passed on the flows' clock and one probe finds the registry back. Figures go to
 * test-artifacts/faults/registry-down.json.
 */
const BREAKER = { failureThreshold: 3, openMs: 30_000 };
const TIMEOUT_MS = 500;
const endpoint = { timeoutMs: TIMEOUT_MS, retries: 1, backoffBaseMs: 10, backoffMaxMs: 20, ...BREAKER };

describe('registration while the population registry is down or slow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-fault-registry-'));
  let backend: FileRegistry;
  let agency: FakeAgencyServer;
  let redis: TestRedisServer;
  let running: RunningProvider;
  let clock: ManualClock;
  const figures: Record<string, unknown> = { breaker: BREAKER, registryTimeoutMs: TIMEOUT_MS, retries: endpoint.retries };

  beforeAll(async () => {
    const dataset = join(dir, 'registry.ndjson');
    await ensureDevRegistryDataset(dataset, { today: TEST_REGISTRY_AS_OF, citizens: 30, foreigners: 10 });
    backend = await FileRegistry.load(dataset, { environment: 'test' });
    agency = await FakeAgencyServer.start({ population: backend, immigration: backend });
    redis = await TestRedisServer.start();
    clock = registrationClock();
    running = await startProvider(
      redis,
      {
        REGISTRY_MODE: 'http',
        POPULATION_REGISTRY_URL: agency.url,
        IMMIGRATION_REGISTRY_URL: agency.url,
        REGISTRY_API_KEY: 'test-registry-api-key-0123456789',
      },
      { clock, config: { registries: { population: endpoint, immigration: endpoint } } },
    );
  });
  afterAll(async () => {
    writeFaultFigures('registry-down', figures);
    await running?.stop();
    await redis?.destroy();
    await agency?.close();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One person declaring themselves; returns the page after the POST and how long that POST took. */
  async function register(record: CitizenRecord, language: 'en' | 'vi' = 'en'): Promise<{ page: Page; agent: UserAgent; ms: number }> {
    const agent = new UserAgent();
    // `?lang=` sets the language cookie, as the language switch of every page does.
    const form = await agent.navigate(`${running.issuer}/register/citizen?lang=${language}`);
    const started = performance.now();
    const page = await agent.submit(form, '/citizen', citizenFields(record, freshContact()));
    return { page, agent, ms: performance.now() - started };
  }

  async function expectNothingCreated(
    record: CitizenRecord,
    outcome: { page: Page; agent: UserAgent },
    language: 'en' | 'vi' = 'en',
  ): Promise<void> {
    expect(outcome.page.status).toBe(503);
    expect(outcome.page.headers.get('retry-after')).toBe('60');
    expect(outcome.page.html).toContain(shown('errors.service_unavailable.title', undefined, language));
    expect(outcome.page.html).toContain(shown('errors.service_unavailable.message', undefined, language));
    expect(outcome.agent.cookieNames()).not.toContain('vneid.registration');
    expect(await running.container.accounts.claimantOf(loginKeyOf(record))).toBeUndefined();
  }

  /**
   * Fails the registry with `behaviour` until the circuit opens, checks it then refuses without asking, and closes it
   * again with one probe after the cool-down. Returns the figures of the round.
   */
  async function failOpenAndRecover(
    behaviour: AgencyBehaviour,
    failing: CitizenRecord,
    recovering: CitizenRecord,
  ): Promise<Record<string, unknown>> {
    agency.behaviour = behaviour;
    const failed: number[] = [];
    for (let attempt = 0; attempt < BREAKER.failureThreshold; attempt += 1) {
      const asked = agency.requestCount(CITIZEN_LOOKUP_PATH);
      // Alternate languages: the retry page speaks the person's language.
      const language = attempt % 2 === 0 ? 'en' : 'vi';
      const outcome = await register(failing, language);
      await expectNothingCreated(failing, outcome, language);
      expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(asked + 1 + endpoint.retries);
      failed.push(outcome.ms);
    }

    // Open: refused at once, the registry is not asked, even once it is back.
    const askedWhileOpen = agency.requestCount(CITIZEN_LOOKUP_PATH);
    const refused: number[] = [];
    for (const back of [false, true]) {
      if (back) agency.behaviour = 'normal';
      const outcome = await register(failing);
      await expectNothingCreated(failing, outcome);
      refused.push(outcome.ms);
    }
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(askedWhileOpen);

    // After the cool-down one probe goes through; the registry answers, the circuit closes and registration works.
    clock.advance(BREAKER.openMs);
    const probe = await register(recovering);
    expect(probe.page.status).toBe(200);
    expect(probe.page.url).toMatch(/\/register\/code$/);
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(askedWhileOpen + 1);
    expect(await running.container.accounts.claimantOf(loginKeyOf(recovering))).toBeDefined();
    const after = await register(failing);
    expect(after.page.url).toMatch(/\/register\/code$/);

    return {
      failedAttempts: latencySummary(failed),
      refusedWhileOpen: latencySummary(refused),
      registryCallsWhileOpen: 0,
      firstRegistrationAfterCoolDownMs: roundMs(probe.ms),
    };
  }

  it('down (503): "try again later" with nothing created; the circuit opens, then closes after its cool-down', async () => {
    figures.down = await failOpenAndRecover('server_error', personas.citizens.adult, personas.citizens.teenager);
  });

  it('slow (no answer within the timeout): the same, and once open the page comes at once instead of after the timeout', async () => {
    const round = await failOpenAndRecover('hang', personas.citizens.father, personas.citizens.mother);
    figures.slow = round;
    const failed = round.failedAttempts as { medianMs: number };
    const refused = round.refusedWhileOpen as { maxMs: number };
    // Each slow attempt waited for its timeouts; an open circuit answers without waiting for any.
    expect(failed.medianMs).toBeGreaterThanOrEqual(TIMEOUT_MS * (1 + endpoint.retries));
    expect(refused.maxMs).toBeLessThan(TIMEOUT_MS);
  });
});
