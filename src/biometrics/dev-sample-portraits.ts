import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import type { PortraitSource } from '../domain/ports.js';
import { ok, type Result } from '../shared/result.js';

/**
 * Development only (ARCHITECTURE convention 10; refused in production with the file store it wraps): one persona of
 * the development dataset gets a registry portrait without anyone copying a photo, so level 2 can be tried at once.
 *
 * The portrait is the face of @vladmandic/human's author, cut at run time from a screenshot that ships inside the
 * installed package (`assets/screenshot-facedetect.jpg`, MIT licence; nothing is downloaded or committed). The
 * developer then uploads the package's OTHER photo of him, `assets/screenshot-faceid.jpg`, a different photograph
 * (docs/biometrics.md measures this pair at 0.56 with the default threshold 0.55: a match, narrowly).
 */

const assets = join(dirname(dirname(createRequire(import.meta.url).resolve('@vladmandic/human'))), 'assets');

/** The photo a developer uploads on the level-2 page to match the sample portrait. */
export const DEV_SAMPLE_PROBE_PATH = join(assets, 'screenshot-faceid.jpg');

/** [left, top, width, height] of the author's face in screenshot-facedetect.jpg (test/support/face-samples.ts uses the same). */
const AUTHOR_FACE = { file: 'screenshot-facedetect.jpg', left: 8, top: 345, width: 150, height: 152 };

async function authorPortrait(): Promise<Uint8Array> {
  const source = jpeg.decode(await readFile(join(assets, AUTHOR_FACE.file)), { useTArray: true });
  const { left, top, width, height } = AUTHOR_FACE;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const from = ((top + y) * source.width + left) * 4;
    data.set(source.data.subarray(from, from + width * 4), y * width * 4);
  }
  return new Uint8Array(jpeg.encode({ width, height, data }, 92).data);
}

/** The wrapped source, except that `portraitRef` answers with the package author's face. */
export class DevSamplePortraitSource implements PortraitSource {
  private portraitOnce?: Promise<Uint8Array>;

  constructor(
    private readonly files: PortraitSource,
    /** The persona whose registry portrait this is (its record's `biometrics.portraitRef`). */
    private readonly portraitRef: string,
  ) {}

  async portrait(portraitRef: string): Promise<Result<Uint8Array, 'not_found' | 'registry_unavailable'>> {
    if (portraitRef !== this.portraitRef) return this.files.portrait(portraitRef);
    // A file under the same reference wins: a developer may put their own photo behind this persona.
    const file = await this.files.portrait(portraitRef);
    if (file.ok || file.error === 'registry_unavailable') return file;
    this.portraitOnce ??= authorPortrait();
    // A copy each time: the verifier moves (transfers) what it is given.
    return ok(new Uint8Array(await this.portraitOnce));
  }
}
