import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { createRedisClient, waitUntilConnected } from '../../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../../support/redis-server.js';
import { CONSENT_TEXT, consent, failed, HOUR, matched, MINUTE, notMatched, photo, world, type World } from './level2-harness.js';

/**
 * The remote portrait match (Decision 34 Art 5.1.b): consent first, at most 5 comparisons per account in any 6 hours,
 * the outcome recorded on the account, and the photo neither kept nor logged.
 */

let server: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = createRedisClient({ url: server.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  await waitUntilConnected(redis, 5000);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe('consent is recorded before any photo is compared', () => {
  it('compares nothing and counts nothing without a consent', async () => {
    const w = world(redis);
    const account = await w.citizen();
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'consent_required' });
    expect(w.verifier.calls).toHaveLength(0);
    expect((await w.service.status(account.id))?.attemptsLeft).toBe(5);
  });

  it('refuses a consent that was not given, and records one that was: version, digest of the text shown, time', async () => {
    const w = world(redis);
    const account = await w.citizen();
    expect(await w.service.recordConsent(account.id, { accepted: false, text: CONSENT_TEXT, locale: 'vi' })).toEqual({
      ok: false,
      error: 'consent_required',
    });
    w.clock.advance(MINUTE);
    const recorded = await w.service.recordConsent(account.id, { accepted: true, text: CONSENT_TEXT, locale: 'vi' });
    expect(recorded).toMatchObject({ ok: true, value: { consentCurrent: true, consentVersion: '2026-01', level: 1 } });
    const stored = await w.accounts.findById(account.id);
    expect(stored?.biometricConsent).toEqual({
      version: '2026-01',
      textSha256: createHash('sha256').update(CONSENT_TEXT, 'utf8').digest('hex'),
      locale: 'vi',
      acceptedAt: w.clock.now(),
    });
    expect(w.audit.events).toContainEqual(
      expect.objectContaining({ type: 'consent.granted', accountId: account.id, details: { purpose: 'portrait_comparison', version: '2026-01' } }),
    );
  });

  it('asks again once the consent is older than level2.consentMaxAgeSeconds', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    w.clock.advance(w.config.consentMaxAgeSeconds * 1000 + 1);
    expect((await w.service.status(account.id))?.consentCurrent).toBe(false);
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'consent_required' });
    expect(w.verifier.calls).toHaveLength(0);
  });
});

describe('the outcome is recorded on the account', () => {
  it('raises a matched account to level 2 with method, time, score and legal basis', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    w.verifier.next(matched(0.6174));
    const outcome = await w.service.verifyPortrait(account.id, photo());
    const verification = { method: 'face', at: w.clock.now(), score: 0.617, legalBasis: 'Decision 34 Art 5.1.b', channel: 'remote' };
    expect(outcome).toEqual({ ok: true, value: { kind: 'matched', verification } });
    // The registry's current portrait reference is what was compared against.
    expect(w.verifier.calls[0]?.portraitRef).toBe(`pt_${account.identity.idNumber}`);
    const stored = await w.accounts.findById(account.id);
    expect(stored).toMatchObject({ level: 2, levelVerification: verification });
    expect(w.audit.events).toContainEqual(
      expect.objectContaining({ type: 'level.changed', accountId: account.id, legalBasis: 'Decision 34 Art 5.1.b', details: expect.objectContaining({ from: 1, to: 2 }) }),
    );
    // Nothing more to do once level 2.
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'already_level_2' });
  });

  it('verifies a foreigner against the immigration database', async () => {
    const w = world(redis);
    const account = await w.foreigner();
    await consent(w, account);
    expect((await w.service.verifyPortrait(account.id, photo())).ok).toBe(true);
    expect(w.verifier.calls[0]?.portraitRef).toBe(`pt_${account.identity.passportNumber}`);
    expect((await w.accounts.findById(account.id))?.level).toBe(2);
  });

  it('keeps a dependant at level 1 until it is verified itself, whatever its representative does', async () => {
    const w = world(redis);
    const representative = await w.citizen();
    const dependant = await w.citizen({ representativeAccountId: representative.id });
    await consent(w, representative);
    expect((await w.service.verifyPortrait(representative.id, photo())).ok).toBe(true);
    expect((await w.accounts.findById(dependant.id))?.level).toBe(1);
    await consent(w, dependant);
    expect((await w.service.verifyPortrait(dependant.id, photo())).ok).toBe(true);
    expect((await w.accounts.findById(dependant.id))?.level).toBe(2);
  });

  it('leaves a not-matched account at level 1 and says how many comparisons are left', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    w.verifier.next(notMatched());
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: true, value: { kind: 'not_matched', attemptsLeft: 4 } });
    expect(await w.accounts.findById(account.id)).toMatchObject({ level: 1 });
    expect((await w.accounts.findById(account.id))?.levelVerification).toBeUndefined();
  });
});

describe('at most 5 comparisons per account in any 6 hours', () => {
  it('counts matches and mismatches, refuses the sixth, and frees one 6 hours after the first', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    const left: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      w.verifier.next(notMatched());
      const outcome = await w.service.verifyPortrait(account.id, photo());
      if (outcome.ok && outcome.value.kind === 'not_matched') left.push(outcome.value.attemptsLeft);
      w.clock.advance(10 * MINUTE);
      await consent(w, account);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const firstAt = w.clock.now() - 50 * MINUTE;
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'attempts_exhausted' });
    expect(w.verifier.calls).toHaveLength(5);
    expect(await w.service.status(account.id)).toMatchObject({ attemptsLeft: 0, nextAttemptAt: firstAt + 6 * HOUR });

    // One minute before the first attempt leaves the window: still refused; at the 6-hour mark: one comparison again.
    w.clock.set(firstAt + 6 * HOUR - MINUTE);
    await consent(w, account);
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'attempts_exhausted' });
    w.clock.set(firstAt + 6 * HOUR);
    await consent(w, account);
    w.verifier.next(matched());
    expect(await w.service.verifyPortrait(account.id, photo())).toMatchObject({ ok: true, value: { kind: 'matched' } });
  });

  it('never lets concurrent uploads of one account exceed the limit', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    for (let index = 0; index < 12; index += 1) w.verifier.next(notMatched());
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => w.service.verifyPortrait(account.id, photo())));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(5);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.error === 'attempts_exhausted')).toHaveLength(7);
    expect(w.verifier.calls).toHaveLength(5);
  });

  it('limits each account on its own', async () => {
    const w = world(redis);
    const first = await w.citizen();
    const second = await w.citizen();
    await consent(w, first);
    await consent(w, second);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      w.verifier.next(notMatched());
      await w.service.verifyPortrait(first.id, photo());
    }
    expect(await w.service.verifyPortrait(first.id, photo())).toEqual({ ok: false, error: 'attempts_exhausted' });
    expect((await w.service.status(second.id))?.attemptsLeft).toBe(5);
  });

  it('does not count an unusable photo as a comparison, but limits those apart (20 per 6 hours)', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    for (const reason of ['no_face', 'multiple_faces', 'poor_quality'] as const) {
      w.verifier.next(failed(reason));
      expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: true, value: { kind: 'retake', reason, attemptsLeft: 5 } });
    }
    for (let index = 3; index < 20; index += 1) {
      w.verifier.next(failed('no_face'));
      await w.service.verifyPortrait(account.id, photo());
    }
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'photo_rejections_exhausted' });
    expect(w.verifier.calls).toHaveLength(20);
    expect((await w.service.status(account.id))?.attemptsLeft).toBe(5);
  });

  it('gives the attempt back when nothing could be compared (registry or verifier down): try again later', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    w.registries.down = true;
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'unavailable' });
    expect(w.verifier.calls).toHaveLength(0);
    w.registries.down = false;
    w.verifier.next(failed('verifier_unavailable'));
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'unavailable' });
    expect((await w.service.status(account.id))?.attemptsLeft).toBe(5);
  });
});

describe('no usable portrait at the registry: in person instead', () => {
  it('answers reference_unavailable without a comparison when the record has no portrait', async () => {
    const w = world(redis);
    const account = await w.citizen({ portraitRef: null });
    await consent(w, account);
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'reference_unavailable' });
    expect(w.verifier.calls).toHaveLength(0);
    expect((await w.service.status(account.id))?.attemptsLeft).toBe(5);
  });

  it('answers reference_unavailable for an identity the registry closed (death, invalidated number)', async () => {
    const w = world(redis);
    const deceased = await w.citizen({ record: { lifeStatus: 'deceased' } });
    const invalidated = await w.citizen({ record: { idNumberStatus: 'invalidated' } });
    for (const account of [deceased, invalidated]) {
      await consent(w, account);
      expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'reference_unavailable' });
    }
    expect(w.verifier.calls).toHaveLength(0);
  });

  it('answers reference_unavailable when the verifier finds the registry portrait unusable', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    w.verifier.next(failed('reference_unavailable'));
    expect(await w.service.verifyPortrait(account.id, photo())).toEqual({ ok: false, error: 'reference_unavailable' });
    expect((await w.service.status(account.id))?.attemptsLeft).toBe(5);
  });
});

describe('the photo is never kept', () => {
  /** Everything stored under the world's prefix, as bytes. */
  async function storedBytes(w: World): Promise<Buffer[]> {
    const found: Buffer[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scanBuffer(cursor, 'MATCH', `${w.keys.prefix}*`, 'COUNT', 200);
      cursor = next.toString();
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'string') found.push((await redis.getBuffer(key)) ?? Buffer.alloc(0));
        else if (type === 'hash') found.push(...Object.values(await redis.hgetallBuffer(key)));
        else if (type === 'zset') found.push(...(await redis.zrangeBuffer(key, '0', '-1')));
        else if (type === 'set') found.push(...(await redis.smembersBuffer(key)));
        else if (type === 'list') found.push(...(await redis.lrangeBuffer(key, 0, -1)));
        found.push(key);
      }
    } while (cursor !== '0');
    return found;
  }

  it('passes the photo to the verifier, then wipes it; no Redis key and no log line holds any of it', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await consent(w, account);
    const sent = [photo(), photo(), photo()];
    const original = photo();
    w.verifier.next(notMatched(), failed('no_face'), matched());
    for (const probe of sent) await w.service.verifyPortrait(account.id, probe);

    expect(w.verifier.calls.map((call) => Buffer.from(call.probeAtCall).equals(Buffer.from(original)))).toEqual([true, true, true]);
    for (const probe of sent) expect(probe.every((byte) => byte === 0)).toBe(true);

    // Any 24 consecutive bytes of the body, raw, in base64 or in hex, would give a kept photo away.
    const body = Buffer.from(original.subarray(100, 124));
    const needles = [body, Buffer.from(body.toString('base64')), Buffer.from(body.toString('hex'))];
    const stored = await storedBytes(w);
    expect(stored.length).toBeGreaterThan(0);
    for (const bytes of stored) for (const needle of needles) expect(bytes.includes(needle)).toBe(false);
    const logs = w.logs.join('');
    expect(logs).toContain('level2.portrait_matched');
    for (const needle of needles) expect(logs.includes(needle.toString('latin1'))).toBe(false);
    expect(logs).not.toContain(body.toString('base64'));
  });

  it('wipes the photo even when it is refused before any comparison', async () => {
    const w = world(redis);
    const account = await w.citizen();
    const probe = photo();
    expect(await w.service.verifyPortrait(account.id, probe)).toEqual({ ok: false, error: 'consent_required' });
    expect(probe.every((byte) => byte === 0)).toBe(true);
  });
});
