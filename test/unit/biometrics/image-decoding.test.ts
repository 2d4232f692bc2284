import { describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import {
  decodeImage,
  fitWithin,
  jpegOrientation,
  orient,
  sniffImageFormat,
  type RgbImage,
} from '../../../src/biometrics/face/image-decoding.js';
import { toJpeg, withExifOrientation } from '../../support/face-samples.js';

/** Photos as browsers upload them: JPEG or PNG, phones' EXIF orientation, transparency, and files that are neither. */

const LIMITS = { maxPixels: 1_000_000 };

/** 2×1 pixels: red then blue. */
const redBlue = (): RgbImage => ({ width: 2, height: 1, rgb: new Uint8Array([255, 0, 0, 0, 0, 255]) });

/** 3 wide, 2 high, each pixel's red channel its index, to follow pixels through a rotation. */
const numbered = (): RgbImage => ({
  width: 3,
  height: 2,
  rgb: Uint8Array.from({ length: 18 }, (_, index) => (index % 3 === 0 ? index / 3 : 0)),
});
const reds = (image: RgbImage): number[] =>
  Array.from({ length: image.width * image.height }, (_, pixel) => image.rgb[pixel * 3] ?? -1);

function pngOf(width: number, height: number, rgba: number[]): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

describe('image decoding', () => {
  it('recognises JPEG and PNG by their signature, nothing else', () => {
    expect(sniffImageFormat(toJpeg({ width: 2, height: 2, data: new Uint8Array(16) }))).toBe('jpeg');
    expect(sniffImageFormat(pngOf(1, 1, [0, 0, 0, 255]))).toBe('png');
    expect(sniffImageFormat(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffImageFormat(new Uint8Array())).toBeNull();
  });

  it('decodes a JPEG to RGB pixels', () => {
    const grey = new Uint8Array(16 * 16 * 4).fill(128);
    const image = decodeImage(toJpeg({ width: 16, height: 16, data: grey }), LIMITS);
    expect(image).toMatchObject({ width: 16, height: 16 });
    expect(image?.rgb.length).toBe(16 * 16 * 3);
    expect(Math.abs((image?.rgb[0] ?? 0) - 128)).toBeLessThan(4);
  });

  it('shows transparent PNG pixels as white, as a browser does', () => {
    const image = decodeImage(pngOf(2, 1, [0, 0, 0, 0, 10, 20, 30, 255]), LIMITS);
    expect(Array.from(image?.rgb ?? [])).toEqual([255, 255, 255, 10, 20, 30]);
  });

  it('refuses truncated files, other formats and images over the pixel limit', () => {
    const jpeg = toJpeg({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(200) });
    expect(decodeImage(jpeg.subarray(0, 40), LIMITS)).toBeNull();
    expect(decodeImage(new TextEncoder().encode('GIF89a....'), LIMITS)).toBeNull();
    expect(decodeImage(jpeg, { maxPixels: 64 * 63 })).toBeNull();
    expect(decodeImage(pngOf(40, 40, new Array(40 * 40 * 4).fill(255)), { maxPixels: 1000 })).toBeNull();
  });

  it('reads the EXIF orientation a phone writes, 1 when there is none', () => {
    const jpeg = toJpeg({ width: 8, height: 4, data: new Uint8Array(8 * 4 * 4) });
    expect(jpegOrientation(jpeg)).toBe(1);
    for (const orientation of [1, 3, 6, 8]) {
      expect(jpegOrientation(withExifOrientation(jpeg, orientation))).toBe(orientation);
    }
    const sideways = decodeImage(withExifOrientation(jpeg, 6), LIMITS);
    expect(sideways).toMatchObject({ width: 4, height: 8 });
  });

  it('turns pixels upright for each of the eight orientations', () => {
    // Stored 0 1 2 / 3 4 5.
    const cases: [number, number, number, number[]][] = [
      [1, 3, 2, [0, 1, 2, 3, 4, 5]],
      [2, 3, 2, [2, 1, 0, 5, 4, 3]],
      [3, 3, 2, [5, 4, 3, 2, 1, 0]],
      [4, 3, 2, [3, 4, 5, 0, 1, 2]],
      [5, 2, 3, [0, 3, 1, 4, 2, 5]],
      [6, 2, 3, [3, 0, 4, 1, 5, 2]],
      [7, 2, 3, [5, 2, 4, 1, 3, 0]],
      [8, 2, 3, [2, 5, 1, 4, 0, 3]],
    ];
    for (const [orientation, width, height, expected] of cases) {
      const upright = orient(numbered(), orientation);
      const seen = [orientation, upright.width, upright.height, reds(upright)];
      expect(seen).toEqual([orientation, width, height, expected]);
    }
    expect(orient(redBlue(), 1)).toEqual(redBlue());
  });

  it('scales large photos down to the longest side allowed, averaging, and leaves small ones alone', () => {
    // Columns alternate black and grey 200.
    const rgb = Uint8Array.from({ length: 24 }, (_, index) => (index % 6 < 3 ? 0 : 200));
    const wide: RgbImage = { width: 4, height: 2, rgb };
    const half = fitWithin(wide, 2);
    expect(half).toMatchObject({ width: 2, height: 1 });
    // Each output pixel averages a black and a grey-200 column pair over two rows.
    expect(Array.from(half.rgb)).toEqual([100, 100, 100, 100, 100, 100]);
    const small = redBlue();
    expect(fitWithin(small, 1024)).toBe(small);
  });
});
