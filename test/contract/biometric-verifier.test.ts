import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalFaceVerifier } from '../../src/biometrics/face/local-face-verifier.js';
import { HttpAbisVerifier } from '../../src/biometrics/http-abis-verifier.js';
import { BiometricsConfig } from '../../src/config/biometrics-config.js';
import type { BiometricVerifier, PortraitSource } from '../../src/domain/ports.js';
import { fail, ok } from '../../src/shared/result.js';
import { FakeAbisServer } from '../support/fake-abis-server.js';
import { faceSamples } from '../support/face-samples.js';

/**
 * One contract for every BiometricVerifier (Decision 34 Art 5.1.b): the local face matcher, and the ABIS adapter
 * talking to a loopback ABIS that decides with that same matcher. Same photos, same answers, whichever is configured.
 */

const portraits: PortraitSource = {
  async portrait(ref) {
    return ref === 'pt_author' ? ok(faceSamples.authorOffice()) : fail('not_found');
  },
};
const defaults = new BiometricsConfig();
const local = new LocalFaceVerifier(
  { threshold: defaults.threshold, poolSize: 1, timeoutMs: 60_000, maxQueued: defaults.maxQueued },
  { portraits },
);
let abis: FakeAbisServer;
let http: HttpAbisVerifier;

beforeAll(async () => {
  expect(await local.warmUp()).toEqual(ok(undefined));
  abis = await FakeAbisServer.start({ verifier: local, apiKey: 'contract-abis-key-000' });
  http = new HttpAbisVerifier({ baseUrl: abis.url, timeoutMs: 30_000, apiKey: 'contract-abis-key-000' });
}, 120_000);

afterAll(async () => {
  http.close();
  await abis.close();
  await local.close();
});

const implementations: [string, () => BiometricVerifier][] = [
  ['local face matcher', () => local],
  ['ABIS over HTTP', () => http],
];

describe.each(implementations)('%s', (_name, verifier) => {
  const check = (probe: Uint8Array, portraitRef = 'pt_author') => verifier().verifyPortrait({ probe, portraitRef });

  it('matches the person of the registry portrait in another photograph', async () => {
    const outcome = await check(faceSamples.authorCasual());
    expect(outcome).toEqual(ok({ matched: true, score: expect.any(Number), method: 'face' }));
  });

  it('does not match someone else', async () => {
    const [other] = faceSamples.others();
    if (!other) throw new Error('sample missing');
    expect(await check(other)).toEqual(ok({ matched: false, score: expect.any(Number), method: 'face' }));
  });

  it('asks for another photo without a face or with several', async () => {
    expect(await check(faceSamples.noFace())).toEqual(fail('no_face'));
    expect(await check(faceSamples.group())).toEqual(fail('multiple_faces'));
  });

  it('reports a registry without a portrait for that reference', async () => {
    expect(await check(faceSamples.authorCasual(), 'pt_nobody')).toEqual(fail('reference_unavailable'));
  });
});
