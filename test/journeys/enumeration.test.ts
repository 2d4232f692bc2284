import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as oidc from 'openid-client';
import { maskContact } from '../../src/domain/contact.js';
import type { CitizenRecord } from '../../src/domain/registry.js';
import { writeRegistryDataset } from '../../src/registries/synthetic/generate-dataset.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createCitizen, startProvider, TEST_REGISTRY_AS_OF, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty } from '../support/relying-party.js';
import { askForNewCode, citizenFields, recipientOf, templatesSentTo, type Contact } from '../support/registration-steps.js';
import { freshPhone, isPasswordPage, startSignIn } from '../support/sign-in-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

/**
 * Issue 6, enumeration: an identifier that has an account and one that has none get the same answer on the sign-in
 * page, the registration form and the code resend, and the same time to it: the median difference over 1,000 samples
 * per endpoint (500 of each, interleaved, sequential, loopback, after a warm-up) must stay under 10 ms. The pages are
 * compared with what differs by nature taken out (CSRF token, nonces, interaction id, the identifier and contact typed).
 * The medians go to test-artifacts/enumeration.json.
 *
 * Known and unknown, per endpoint:
 *   sign-in       an active account with a wrong password / an ID number nobody has (argon2id at the real OWASP cost
 *                 on both paths: the unknown one verifies against a dummy hash of the same parameters);
 *   registration  a registry-matched person who already has an account / one who has none yet;
 *   code resend   the registration of such a person (a flow that activates nothing; its codes go nowhere and the
 *                 holder is told instead) / a genuine new registration.
 * Rate limits are raised through the test configuration only so that 1,000 tries from one address are answered at all.
 */

const SAMPLES_PER_KIND = 500;
const WARM_UP_PAIRS = 15;
const MEDIAN_BOUND_MS = 10;
const KNOWN_ACCOUNTS = 10;
const KNOWN_REGISTRANTS = 25;
const WRONG_PASSWORD = 'not the password 0123';

/** Limits out of the way of 1,000 sequential tries from 127.0.0.1; the hash cost is left at its real value. */
const RAISED_LIMITS = {
  limits: {
    registryMatchesPerIdentity: { points: 100_000, windowSeconds: 3_600 },
    registryMatchesPerIp: { points: 100_000, windowSeconds: 3_600 },
    codeSendsPerContact: { points: 100_000, windowSeconds: 3_600 },
  },
  signIn: {
    passwordFailures: { freeFailures: 1_000, baseDelaySeconds: 0, maxDelaySeconds: 0, disableAfterFailures: 0, windowSeconds: 60 },
    ipFailures: { freeFailures: 1_000, baseDelaySeconds: 0, maxDelaySeconds: 0, disableAfterFailures: 0, windowSeconds: 60 },
  },
};

interface Timing {
  known: number[];
  unknown: number[];
}

interface EndpointFigures {
  samples: { known: number; unknown: number };
  medianMs: { known: number; unknown: number; difference: number };
  quartilesMs: { known: [number, number]; unknown: [number, number] };
  totalSeconds: number;
}

const median = (values: number[]): number => quantile(values, 0.5);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? Number.NaN) + ((sorted[high] ?? Number.NaN) - (sorted[low] ?? Number.NaN)) * (position - low);
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

function figuresOf(timing: Timing, totalMs: number): EndpointFigures {
  const known = median(timing.known);
  const unknown = median(timing.unknown);
  return {
    samples: { known: timing.known.length, unknown: timing.unknown.length },
    medianMs: { known: round(known), unknown: round(unknown), difference: round(Math.abs(known - unknown)) },
    quartilesMs: {
      known: [round(quantile(timing.known, 0.25)), round(quantile(timing.known, 0.75))],
      unknown: [round(quantile(timing.unknown, 0.25)), round(quantile(timing.unknown, 0.75))],
    },
    totalSeconds: round(totalMs / 1000),
  };
}

let contactSequence = 0;

/** A contact of its own per registration (registration-steps' freshContact runs out after 999 in one process). */
function freshContact(): Contact {
  contactSequence += 1;
  const serial = String(contactSequence).padStart(6, '0');
  return { phone: `0913${serial}`, email: `enumeration${serial}@example.vn` };
}

/** One try: `prepare` does what must not be timed (opening the form) and returns the request that is timed. */
type Try = (i: number) => Promise<() => Promise<unknown>>;

/**
 * 500 known and 500 unknown tries, one at a time, alternating which of the pair goes first so that neither kind always
 * follows the other (caches, event-loop turns), after unrecorded warm-up pairs.
 */
async function interleaved(known: Try, unknown: Try): Promise<Timing> {
  const timing: Timing = { known: [], unknown: [] };
  const time = async (prepare: Try, i: number): Promise<number> => {
    const request = await prepare(i);
    const start = performance.now();
    await request();
    return performance.now() - start;
  };
  for (let i = 0; i < WARM_UP_PAIRS + SAMPLES_PER_KIND; i += 1) {
    let k: number;
    let u: number;
    if (i % 2 === 0) {
      k = await time(known, i);
      u = await time(unknown, i);
    } else {
      u = await time(unknown, i);
      k = await time(known, i);
    }
    if (i >= WARM_UP_PAIRS) {
      timing.known.push(k);
      timing.unknown.push(u);
    }
  }
  return timing;
}

/** What a person or a script could compare: status, the headers that are not per-response noise, the page text. */
function comparable(page: Page, typed: Record<string, string>): { status: number; headers: Record<string, string>; html: string } {
  let html = page.html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="<csrf>"')
    .replace(/nonce="[^"]*"/g, 'nonce="<nonce>"')
    .replace(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/<uid>');
  for (const [placeholder, value] of Object.entries(typed)) html = html.split(value).join(`<${placeholder}>`);
  const headers: Record<string, string> = {};
  page.headers.forEach((value, name) => {
    if (['date', 'content-length', 'set-cookie', 'x-request-id', 'keep-alive', 'connection'].includes(name)) return;
    headers[name] = value.replace(/'nonce-[^']*'/g, "'nonce-<nonce>'");
  });
  return { status: page.status, headers, html };
}

/** The cookies a response set, by name and attributes, without their values or expiry instants. */
function cookieShapes(headers: Headers): string[] {
  return headers
    .getSetCookie()
    .map((line) => line.replace(/=[^;]*/, '=<value>').replace(/expires=[^;]*/i, 'expires=<time>'))
    .sort();
}

/** Adults of the generated registry who may register themselves (Decision 34 Art 6.1) and have no account yet. */
function registrants(datasetPath: string): CitizenRecord[] {
  const adultBy = `${Number(TEST_REGISTRY_AS_OF.slice(0, 4)) - 16}${TEST_REGISTRY_AS_OF.slice(4)}`;
  return readFileSync(datasetPath, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as CitizenRecord & { kind: string })
    .filter(
      (record) =>
        record.kind === 'citizen' &&
        record.lifeStatus === 'alive' &&
        record.idNumberStatus === 'valid' &&
        !record.underGuardianship &&
        record.birthDate <= adultBy &&
        /^\d{12}$/.test(record.idNumber),
    );
}

describe('known and unknown identifiers get the same answer in the same time (issue 6)', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let clock: ManualClock;
  let datasetDir: string;
  let people: CitizenRecord[];
  const figures: Record<string, EndpointFigures> = {};
  /** The registrations of the registration test, reused by the resend test: [agent, contact] per sample. */
  const registered: { known: [UserAgent, Contact][]; unknown: [UserAgent, Contact][] } = { known: [], unknown: [] };

  beforeAll(async () => {
    datasetDir = mkdtempSync(join(tmpdir(), 'vneid-enumeration-'));
    const datasetPath = join(datasetDir, 'registry.ndjson');
    await writeRegistryDataset(datasetPath, { seed: 'enumeration', citizens: 1_000, foreigners: 10, asOf: TEST_REGISTRY_AS_OF, personas: false });
    people = registrants(datasetPath);
    redis = await TestRedisServer.start();
    // The provider's protocol time is real; the flows' clock starts there and is moved by hand past the resend interval.
    clock = new ManualClock(Date.now());
    running = await startProvider(redis, { REGISTRY_FILE: datasetPath }, { clock, config: RAISED_LIMITS });
    rp = await discoverAsRelyingParty(running.issuer);
  }, 60_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) {
      mkdirSync('test-artifacts', { recursive: true });
      const { passwordHash } = running.config;
      writeFileSync(
        'test-artifacts/enumeration.json',
        `${JSON.stringify({ boundMs: MEDIAN_BOUND_MS, warmUpPairs: WARM_UP_PAIRS, argon2id: passwordHash, endpoints: figures }, null, 2)}\n`,
      );
    }
    await running?.stop();
    await redis?.destroy();
    if (datasetDir) rmSync(datasetDir, { recursive: true, force: true });
  });

  it('sign-in: a wrong password for an existing account and any password for an unknown ID number', async () => {
    const accounts: AccountFixture[] = [];
    for (let i = 0; i < KNOWN_ACCOUNTS; i += 1) accounts.push(await createCitizen(running.container, { phone: freshPhone() }));
    // Numbers of the same shape that no account holds (the fixtures' sequence starts at 100001).
    const unknownIds = Array.from({ length: KNOWN_ACCOUNTS }, (_, i) => `001190${String(900_000 + i)}`);
    const agent = new UserAgent();
    const { page: loginPage } = await startSignIn(rp, agent, { ui_locales: 'en' });
    expect(isPasswordPage(loginPage)).toBe(true);
    const known = (i: number): Promise<Page> => {
      const fixture = accounts[i % KNOWN_ACCOUNTS] as AccountFixture;
      return agent.submit(loginPage, '/login', { ...fixture.loginFields, password: WRONG_PASSWORD });
    };
    const unknown = (i: number): Promise<Page> =>
      agent.submit(loginPage, '/login', { kind: 'citizen', idNumber: unknownIds[i % KNOWN_ACCOUNTS] ?? '', password: WRONG_PASSWORD });
    const refused = (page: Page): void => {
      if (page.status !== 401) throw new Error(`sign-in answered ${page.status}`);
    };

    const knownPage = await known(0);
    const unknownPage = await unknown(0);
    expect(knownPage.status).toBe(401);
    expect(comparable(knownPage, { id: accounts[0]?.account.identity.idNumber ?? '' })).toEqual(
      comparable(unknownPage, { id: unknownIds[0] ?? '' }),
    );
    expect(cookieShapes(knownPage.headers)).toEqual(cookieShapes(unknownPage.headers));

    const started = performance.now();
    const timing = await interleaved(
      async (i) => async () => refused(await known(i)),
      async (i) => async () => refused(await unknown(i)),
    );
    figures.signIn = figuresOf(timing, performance.now() - started);
    expect(figures.signIn.medianMs.difference).toBeLessThan(MEDIAN_BOUND_MS);
  }, 180_000);

  it('registration: a person who already has an account and one who has none', async () => {
    const holders = people.slice(0, KNOWN_REGISTRANTS);
    const fresh = people.slice(KNOWN_REGISTRANTS);
    expect(fresh.length).toBeGreaterThanOrEqual(SAMPLES_PER_KIND + WARM_UP_PAIRS + 1);
    const holderPhones: string[] = [];
    for (const holder of holders) {
      const { idNumber, fullName, birthDate, gender } = holder;
      const phone = freshPhone();
      holderPhones.push(phone);
      await createCitizen(running.container, { phone, identity: { kind: 'citizen', idNumber, fullName, birthDate, gender } });
    }
    const formPage = async (agent: UserAgent): Promise<Page> => agent.navigate(`${running.issuer}/register/citizen?lang=en`);
    const codePagePrefix = `${running.issuer}/register/code`;
    /** Opens the form in a new browser (untimed) and returns its POST, stopped at the redirect to the code page. */
    const declaration = async (record: CitizenRecord, into: [UserAgent, Contact][]): Promise<() => Promise<void>> => {
      const agent = new UserAgent();
      const contact = freshContact();
      const form = await formPage(agent);
      into.push([agent, contact]);
      return async () => {
        const page = await agent.submit(form, '/citizen', citizenFields(record, contact), codePagePrefix);
        if (page.status !== 0 || page.url !== codePagePrefix) throw new Error(`registration not sent to the code page: ${page.status} ${page.url}`);
      };
    };

    // The same contact typed both times, so even the masked contact on the code page is the same.
    const contact = freshContact();
    const knownAgent = new UserAgent();
    const unknownAgent = new UserAgent();
    const knownAnswer = await knownAgent.submit(await formPage(knownAgent), '/citizen', citizenFields(holders[0] as CitizenRecord, contact));
    const unknownAnswer = await unknownAgent.submit(await formPage(unknownAgent), '/citizen', citizenFields(fresh[0] as CitizenRecord, contact));
    expect(knownAnswer.url).toBe(`${codePagePrefix}`);
    expect(comparable(knownAnswer, {})).toEqual(comparable(unknownAnswer, {}));
    // The holder heard about it on their own phone; the registrant's phone got exactly one code, from the new one.
    expect(await templatesSentTo(running.issuer, recipientOf(contact, 'sms'))).toEqual(['activation_code']);
    expect(await templatesSentTo(running.issuer, holderPhones[0] ?? '')).toEqual(['registration_attempted']);

    let nextFresh = 1;
    const started = performance.now();
    const timing = await interleaved(
      async (i) => declaration(holders[i % KNOWN_REGISTRANTS] as CitizenRecord, registered.known),
      async () => declaration(fresh[nextFresh++] as CitizenRecord, registered.unknown),
    );
    figures.registration = figuresOf(timing, performance.now() - started);
    expect(figures.registration.medianMs.difference).toBeLessThan(MEDIAN_BOUND_MS);
  }, 180_000);

  it('code resend: the registration of a person who has an account and a new registration', async () => {
    expect(registered.known.length).toBeGreaterThanOrEqual(SAMPLES_PER_KIND + WARM_UP_PAIRS);
    expect(registered.unknown.length).toBeGreaterThanOrEqual(SAMPLES_PER_KIND + WARM_UP_PAIRS);
    // Past the minimum interval between two codes of one registration.
    clock.advance(61_000);
    const codePagePrefix = `${running.issuer}/register/code`;
    /** Opens the code page (untimed) and returns its "send a new code" POST, stopped at the redirect back. */
    const resend = async ([agent]: [UserAgent, Contact]): Promise<() => Promise<void>> => {
      const codePage = await agent.navigate(`${codePagePrefix}?lang=en`);
      if (codePage.status !== 200) throw new Error(`code page answered ${codePage.status}`);
      return async () => {
        // Stopped at the redirect to `code?notice=sent` (the POST's own URL, `code/resend`, shares the code page's prefix).
        const page = await agent.submit(codePage, '/code/resend', {}, `${codePagePrefix}?notice=sent`);
        if (page.status !== 0) throw new Error(`resend answered ${page.status} at ${page.url}`);
      };
    };

    // The latest registrations: the development outbox keeps only the most recent messages.
    const [knownLast, unknownLast] = [registered.known.at(-1), registered.unknown.at(-1)];
    if (!knownLast || !unknownLast) throw new Error('the registration test made no registrations');
    const knownAfter = await askForNewCode(knownLast[0], await knownLast[0].navigate(`${codePagePrefix}?lang=en`));
    const unknownAfter = await askForNewCode(unknownLast[0], await unknownLast[0].navigate(`${codePagePrefix}?lang=en`));
    expect(knownAfter.status).toBe(200);
    expect(comparable(knownAfter, { contact: maskedPhone(knownLast[1]) })).toEqual(comparable(unknownAfter, { contact: maskedPhone(unknownLast[1]) }));
    expect(await templatesSentTo(running.issuer, recipientOf(knownLast[1], 'sms'))).toEqual([]);
    expect(await templatesSentTo(running.issuer, recipientOf(unknownLast[1], 'sms'))).toEqual(['activation_code', 'activation_code']);

    clock.advance(61_000);
    const started = performance.now();
    const timing = await interleaved(
      async (i) => resend(registered.known[i] as [UserAgent, Contact]),
      async (i) => resend(registered.unknown[i] as [UserAgent, Contact]),
    );
    figures.codeResend = figuresOf(timing, performance.now() - started);
    expect(figures.codeResend.medianMs.difference).toBeLessThan(MEDIAN_BOUND_MS);
  }, 180_000);
});

/** The contact as the code page shows it (partly hidden). */
const maskedPhone = (contact: Contact): string => maskContact(recipientOf(contact, 'sms'));
