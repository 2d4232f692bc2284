import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';

/**
 * Face photos for tests, cut at run time from the sample screenshots inside the installed @vladmandic/human package
 * (MIT licence, assets/): nothing is downloaded and no copy is committed.
 *
 * - The package's author appears in two different photographs: `authorOffice` (screenshot-faceid.jpg, at his desk)
 *   and `authorCasual` (screenshot-facedetect.jpg, white shirt, another day and light). That is the same-person pair.
 * - `others` are four other people's faces from screenshot-facedetect.jpg. Whether any two of them are the same
 *   person is unknown, so tests only ever compare them with the author.
 */

const assets = join(dirname(dirname(createRequire(import.meta.url).resolve('@vladmandic/human'))), 'assets');

interface Pixels {
  width: number;
  height: number;
  /** RGBA, as jpeg-js decodes. */
  data: Uint8Array;
}

const screenshots = new Map<string, Pixels>();

function screenshot(name: string): Pixels {
  const cached = screenshots.get(name);
  if (cached) return cached;
  const decoded = jpeg.decode(readFileSync(join(assets, name)), { useTArray: true });
  screenshots.set(name, decoded);
  return decoded;
}

/** A rectangle [x, y, width, height] of a screenshot. */
export function cut(name: string, [left, top, width, height]: [number, number, number, number]): Pixels {
  const source = screenshot(name);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const from = ((top + y) * source.width + left) * 4;
    data.set(source.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, data };
}

/** Nearest-neighbour resize by `factor` (0.5 halves each side). */
export function scale(image: Pixels, factor: number): Pixels {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const sourceY = Math.min(image.height - 1, Math.floor(y / factor));
      const sourceX = Math.min(image.width - 1, Math.floor(x / factor));
      const from = (sourceY * image.width + sourceX) * 4;
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Adds `delta` to every colour channel (negative darkens). */
export function brighten(image: Pixels, delta: number): Pixels {
  const shift = (value: number, index: number): number =>
    index % 4 === 3 ? value : Math.max(0, Math.min(255, value + delta));
  const data = Uint8Array.from(image.data, shift);
  return { ...image, data };
}

/** The pixels turned a quarter counter-clockwise: how a phone held sideways stores a photo it tags as orientation 6. */
export function quarterTurnCounterClockwise(image: Pixels): Pixels {
  const width = image.height;
  const height = image.width;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const from = (x * image.width + (image.width - 1 - y)) * 4;
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

export function toJpeg(image: Pixels, quality = 92): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality).data);
}

/** A JPEG carrying an EXIF APP1 segment with the given orientation tag, right after the start-of-image marker. */
export function withExifOrientation(jpegBytes: Uint8Array, orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01];
  const entry = [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00];
  const payload = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff, ...entry, 0x00, 0x00, 0x00, 0x00];
  const length = payload.length + 2;
  const segment = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
  return new Uint8Array([...jpegBytes.subarray(0, 2), ...segment, ...jpegBytes.subarray(2)]);
}

const FACE_ID = 'screenshot-faceid.jpg';
const FACE_DETECT = 'screenshot-facedetect.jpg';

export const samplePixels = {
  authorOffice: (): Pixels => cut(FACE_ID, [14, 141, 140, 141]),
  authorCasual: (): Pixels => cut(FACE_DETECT, [8, 345, 150, 152]),
  others: (): Pixels[] => [
    cut(FACE_DETECT, [165, 345, 148, 152]),
    cut(FACE_DETECT, [322, 345, 148, 152]),
    cut(FACE_DETECT, [480, 345, 148, 152]),
    cut(FACE_DETECT, [632, 345, 158, 152]),
  ],
  /** Three of the faces above side by side, about the same size. */
  group: (): Pixels => cut(FACE_DETECT, [8, 345, 465, 152]),
  /** The text part of the face-ID screenshot: no face anywhere. */
  noFace: (): Pixels => cut(FACE_ID, [0, 290, 800, 270]),
};

/** The same, as JPEG files a browser would upload. */
export const faceSamples = {
  authorOffice: (): Uint8Array => toJpeg(samplePixels.authorOffice()),
  authorCasual: (): Uint8Array => toJpeg(samplePixels.authorCasual()),
  others: (): Uint8Array[] => samplePixels.others().map((pixels) => toJpeg(pixels)),
  group: (): Uint8Array => toJpeg(samplePixels.group()),
  noFace: (): Uint8Array => toJpeg(samplePixels.noFace()),
};
