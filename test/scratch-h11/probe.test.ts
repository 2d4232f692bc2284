import { it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { LocalFaceVerifier } from '../../src/biometrics/face/local-face-verifier.js';
import { ok, fail } from '../../src/shared/result.js';
import { faceSamples } from '../support/face-samples.js';
it('probe', async () => {
  const reg = new Map<string, Uint8Array>([['casual', faceSamples.authorCasual()], ['office', faceSamples.authorOffice()]]);
  const v = new LocalFaceVerifier({ threshold: 0.55, poolSize: 1, timeoutMs: 60000, maxQueued: 4 }, { portraits: { portrait: async (r) => reg.has(r) ? ok(reg.get(r) as Uint8Array) : fail('not_found') } });
  const full = new Uint8Array(readFileSync('node_modules/@vladmandic/human/assets/screenshot-faceid.jpg'));
  const det = new Uint8Array(readFileSync('node_modules/@vladmandic/human/assets/screenshot-facedetect.jpg'));
  for (const [n, p] of [['full-faceid', full], ['full-detect', det]] as const) {
    for (const ref of ['casual', 'office']) {
      const t = Date.now();
      console.log(n, ref, JSON.stringify(await v.verifyPortrait({ probe: p, portraitRef: ref })), Date.now() - t);
    }
  }
  await v.close();
  expect(1).toBe(1);
}, 120000);
