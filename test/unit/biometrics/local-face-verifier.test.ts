import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PNG } from 'pngjs';
import type { PortraitSource } from '../../../src/domain/ports.js';
import { LocalFaceVerifier } from '../../../src/biometrics/face/local-face-verifier.js';
import { BiometricsConfig } from '../../../src/config/biometrics-config.js';
import { fail, ok } from '../../../src/shared/result.js';
import {
  brighten,
  faceSamples,
  quarterTurnCounterClockwise,
  samplePixels,
  scale,
  toJpeg,
  withExifOrientation,
} from '../../support/face-samples.js';

/**
 * The local face matcher end to end: real models, real worker thread, the package's sample photos (no downloads).
 * One verifier for the whole file, so the models load once; the first comparison pays for it.
 */

/** The shipped default, whose choice docs/biometrics.md explains with these same photos. */
const THRESHOLD = new BiometricsConfig().threshold;
const registry = new Map<string, Uint8Array>();
const portraits: PortraitSource & { down: boolean } = {
  down: false,
  async portrait(ref) {
    if (this.down) return fail('registry_unavailable');
    const image = registry.get(ref);
    return image ? ok(image) : fail('not_found');
  },
};

let verifier: LocalFaceVerifier;

beforeAll(async () => {
  registry.set('pt_author', faceSamples.authorOffice());
  registry.set('pt_no_face', faceSamples.noFace());
  registry.set('pt_garbage', new TextEncoder().encode('not an image'));
  verifier = new LocalFaceVerifier(
    { threshold: THRESHOLD, poolSize: 1, timeoutMs: 60_000, maxQueued: 4 },
    { portraits },
  );
  expect(await verifier.warmUp()).toEqual(ok(undefined));
}, 120_000);

afterAll(async () => {
  await verifier.close();
});

const check = (probe: Uint8Array, portraitRef = 'pt_author') => verifier.verifyPortrait({ probe, portraitRef });

describe('the local face matcher', () => {
  it('matches the same person in a different photograph', async () => {
    const outcome = await check(faceSamples.authorCasual());
    expect(outcome).toEqual(ok({ matched: true, score: expect.any(Number), method: 'face' }));
    if (outcome.ok) expect(outcome.value.score).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('does not match other people', async () => {
    for (const other of faceSamples.others()) {
      const outcome = await check(other);
      expect(outcome).toEqual(ok({ matched: false, score: expect.any(Number), method: 'face' }));
      if (outcome.ok) expect(outcome.value.score).toBeLessThan(THRESHOLD);
    }
  });

  it('still matches the photo darker, larger, as PNG, or stored sideways with an EXIF orientation', async () => {
    const casual = samplePixels.authorCasual();
    const png = new PNG({ width: casual.width, height: casual.height });
    png.data = Buffer.from(casual.data);
    const variants = [
      toJpeg(brighten(casual, -40)),
      toJpeg(scale(casual, 2)),
      new Uint8Array(PNG.sync.write(png)),
      withExifOrientation(toJpeg(quarterTurnCounterClockwise(casual)), 6),
    ];
    for (const probe of variants) {
      const outcome = await check(probe);
      expect(outcome.ok && outcome.value.matched).toBe(true);
    }
  });

  it('asks for another photo when there is no face, several faces, a face too small or no image at all', async () => {
    expect(await check(faceSamples.noFace())).toEqual(fail('no_face'));
    expect(await check(faceSamples.group())).toEqual(fail('multiple_faces'));
    expect(await check(toJpeg(scale(samplePixels.authorCasual(), 0.4)))).toEqual(fail('poor_quality'));
    expect(await check(new TextEncoder().encode('GIF89a not a photo'))).toEqual(fail('poor_quality'));
  });

  it('tells a missing or unusable registry portrait apart from a registry that is down', async () => {
    const probe = faceSamples.authorCasual();
    expect(await check(probe, 'pt_unknown')).toEqual(fail('reference_unavailable'));
    expect(await check(probe, 'pt_no_face')).toEqual(fail('reference_unavailable'));
    expect(await check(probe, 'pt_garbage')).toEqual(fail('reference_unavailable'));
    portraits.down = true;
    try {
      expect(await check(probe)).toEqual(fail('verifier_unavailable'));
    } finally {
      portraits.down = false;
    }
  });

  it("leaves the caller's image intact (the worker gets a copy)", async () => {
    const probe = Buffer.from(faceSamples.authorCasual());
    const before = Buffer.from(probe);
    await check(probe);
    expect(probe.equals(before)).toBe(true);
  });

  it('keeps the event loop responsive while a comparison runs', async () => {
    const probe = faceSamples.authorCasual();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    delay.enable();
    const started = performance.now();
    // Several in a row, so the measurement spans whole comparisons, decoding included.
    for (let round = 0; round < 3; round += 1) expect((await check(probe)).ok).toBe(true);
    const elapsedMs = performance.now() - started;
    delay.disable();
    clearInterval(ticker);
    const worstStallMs = delay.max / 1e6;
    // Behaviour, not speed: the loop never stalls for anything like a comparison, and timers keep firing throughout.
    // Blocked, the loop would stall for a whole comparison (a third of the time) and the timer fire about 3 times.
    expect(worstStallMs).toBeLessThan(Math.max(200, elapsedMs / 4));
    expect(ticks).toBeGreaterThan(elapsedMs / 5 / 10);
  });
});
