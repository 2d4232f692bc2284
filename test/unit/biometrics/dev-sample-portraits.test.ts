import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_SAMPLE_PROBE_PATH, DevSamplePortraitSource } from '../../../src/biometrics/dev-sample-portraits.js';
import { LocalFaceVerifier } from '../../../src/biometrics/face/local-face-verifier.js';
import { FilePortraitSource } from '../../../src/biometrics/file-portrait-source.js';
import { BiometricsConfig } from '../../../src/config/biometrics-config.js';
import { devPersonas } from '../../../src/registries/synthetic/dev-personas.js';
import { DEV_DATASET_AS_OF } from '../../../src/registries/synthetic/generate-dataset.js';
import { faceSamples } from '../../support/face-samples.js';

/**
 * The development mapping the README's "Verify at level 2" relies on: Phạm Thị Lan's registry portrait is the package
 * author's face, and the package's other photograph of him, uploaded as it is, matches at the shipped threshold.
 */

const ref = devPersonas(DEV_DATASET_AS_OF).citizens.mother.biometrics.portraitRef ?? '';
const directory = mkdtempSync(join(tmpdir(), 'vneid-dev-portraits-'));
const source = new DevSamplePortraitSource(new FilePortraitSource(directory), ref);

describe('the development sample portrait', () => {
  it('answers a JPEG for the chosen persona and leaves every other reference to the files', async () => {
    const portrait = await source.portrait(ref);
    expect(portrait.ok && portrait.value[0] === 0xff && portrait.value[1] === 0xd8).toBe(true);
    expect(await source.portrait('pt_someone_else')).toEqual({ ok: false, error: 'not_found' });
  });

  it('lets a developer put their own photo behind the persona', async () => {
    const own = faceSamples.others()[0] ?? new Uint8Array();
    writeFileSync(join(directory, `${ref}.jpg`), own);
    const portrait = await source.portrait(ref);
    expect(portrait.ok && Buffer.from(portrait.value).equals(Buffer.from(own))).toBe(true);
    rmSync(join(directory, `${ref}.jpg`));
    expect((await source.portrait(ref)).ok).toBe(true);
  });

  it('matches the package’s other photograph of the same man, uploaded as it is', async () => {
    const fresh = new DevSamplePortraitSource(new FilePortraitSource(mkdtempSync(join(tmpdir(), 'vneid-dev-portraits-'))), ref);
    const local = new LocalFaceVerifier(
      { threshold: new BiometricsConfig().threshold, poolSize: 1, timeoutMs: 60_000, maxQueued: 2 },
      { portraits: fresh },
    );
    try {
      const outcome = await local.verifyPortrait({ probe: new Uint8Array(readFileSync(DEV_SAMPLE_PROBE_PATH)), portraitRef: ref });
      expect(outcome).toMatchObject({ ok: true, value: { matched: true } });
    } finally {
      await local.close();
    }
  }, 120_000);
});
