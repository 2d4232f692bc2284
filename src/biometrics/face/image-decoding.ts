import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

/**
 * JPEG and PNG bytes to upright RGB pixels, in plain JavaScript (no canvas, no native module). Runs inside the face
 * worker threads, which load it by file path: it may import packages and node: modules, never a relative module at run
 * time (see face-worker.ts).
 */

export type ImageFormat = 'jpeg' | 'png';

/** Three bytes per pixel, rows top to bottom, already turned upright by the EXIF orientation. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export interface DecodeLimits {
  /** Images with more pixels are refused before decoding (a small file can announce a huge image). */
  maxPixels: number;
}

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((byte, index) => bytes[index] === byte)) return 'png';
  return null;
}

/** Decodes and turns upright; null when the bytes are not a JPEG or PNG this decoder can read within the limits. */
export function decodeImage(bytes: Uint8Array, limits: DecodeLimits): RgbImage | null {
  try {
    switch (sniffImageFormat(bytes)) {
      case 'jpeg':
        return decodeJpeg(bytes, limits);
      case 'png':
        return decodePng(bytes, limits);
      default:
        return null;
    }
  } catch {
    // Truncated or corrupt files throw from inside the decoders; for the caller they are simply unreadable.
    return null;
  }
}

function decodeJpeg(bytes: Uint8Array, limits: DecodeLimits): RgbImage | null {
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: limits.maxPixels / 1_000_000,
    maxMemoryUsageInMB: 1024,
  });
  if (decoded.width * decoded.height > limits.maxPixels) return null;
  // Phones store the sensor's orientation in EXIF instead of rotating the pixels; a sideways face is not detected.
  return orient({ width: decoded.width, height: decoded.height, rgb: decoded.data }, jpegOrientation(bytes));
}

function decodePng(bytes: Uint8Array, limits: DecodeLimits): RgbImage | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // IHDR is the first chunk: width and height at bytes 16 and 20, read before the whole image is inflated.
  if (bytes.length < 24 || view.getUint32(16) * view.getUint32(20) > limits.maxPixels) return null;
  const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const pixels = png.width * png.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let pixel = 0; pixel < pixels; pixel += 1) {
    const alpha = (png.data[pixel * 4 + 3] ?? 255) / 255;
    // Transparent parts become white, as a browser shows them, rather than the black their RGB bytes often hold.
    for (let channel = 0; channel < 3; channel += 1) {
      const value = png.data[pixel * 4 + channel] ?? 0;
      rgb[pixel * 3 + channel] = Math.round(value * alpha + 255 * (1 - alpha));
    }
  }
  return { width: png.width, height: png.height, rgb };
}

/**
 * Scales down so that the longer side is at most `maxSide`, averaging the source pixels under each output pixel.
 * Done here, in plain JavaScript, so that full-size photos never enter the WebAssembly heap, which grows to fit the
 * largest input it has seen and never shrinks.
 */
export function fitWithin(image: RgbImage, maxSide: number): RgbImage {
  const factor = maxSide / Math.max(image.width, image.height);
  if (factor >= 1) return image;
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const sums = new Float64Array(width * height * 3);
  const counts = new Uint32Array(width * height);
  for (let y = 0; y < image.height; y += 1) {
    const row = Math.min(height - 1, Math.floor(y * factor)) * width;
    for (let x = 0; x < image.width; x += 1) {
      const target = row + Math.min(width - 1, Math.floor(x * factor));
      const source = (y * image.width + x) * 3;
      sums[target * 3] = (sums[target * 3] ?? 0) + (image.rgb[source] ?? 0);
      sums[target * 3 + 1] = (sums[target * 3 + 1] ?? 0) + (image.rgb[source + 1] ?? 0);
      sums[target * 3 + 2] = (sums[target * 3 + 2] ?? 0) + (image.rgb[source + 2] ?? 0);
      counts[target] = (counts[target] ?? 0) + 1;
    }
  }
  const rgb = Uint8Array.from(sums, (sum, index) => Math.round(sum / (counts[Math.floor(index / 3)] || 1)));
  return { width, height, rgb };
}

/** The EXIF orientation (1–8) of a JPEG, 1 when absent or unreadable. */
export function jpegOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1];
    // Start of scan: the metadata segments are over.
    if (marker === 0xda) break;
    const length = view.getUint16(offset + 2);
    if (marker === 0xe1 && length >= 8) {
      const orientation = exifOrientation(view, offset + 4, offset + 2 + length);
      if (orientation !== null) return orientation;
    }
    offset += 2 + length;
  }
  return 1;
}

function exifOrientation(view: DataView, start: number, end: number): number | null {
  const limit = Math.min(end, view.byteLength);
  // "Exif\0\0" then a TIFF header: byte order, 42, offset of the first directory.
  if (start + 14 > limit || view.getUint32(start) !== 0x45786966 || view.getUint16(start + 4) !== 0) return null;
  const tiff = start + 6;
  const little = view.getUint16(tiff) === 0x4949;
  if (!little && view.getUint16(tiff) !== 0x4d4d) return null;
  if (view.getUint16(tiff + 2, little) !== 42) return null;
  const directory = tiff + view.getUint32(tiff + 4, little);
  if (directory + 2 > limit) return null;
  const entries = view.getUint16(directory, little);
  for (let index = 0; index < entries; index += 1) {
    const entry = directory + 2 + index * 12;
    if (entry + 12 > limit) return null;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/**
 * Applies an EXIF orientation: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
 * 8 rotate 90° counter-clockwise.
 */
export function orient(image: RgbImage, orientation: number): RgbImage {
  if (orientation < 2 || orientation > 8) return image;
  const { width, height, rgb } = image;
  const swaps = orientation >= 5;
  const outWidth = swaps ? height : width;
  const outHeight = swaps ? width : height;
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < outHeight; y += 1) {
    for (let x = 0; x < outWidth; x += 1) {
      const [sourceX, sourceY] = sourceOf(orientation, x, y, width, height);
      const from = (sourceY * width + sourceX) * 3;
      const to = (y * outWidth + x) * 3;
      out[to] = rgb[from] ?? 0;
      out[to + 1] = rgb[from + 1] ?? 0;
      out[to + 2] = rgb[from + 2] ?? 0;
    }
  }
  return { width: outWidth, height: outHeight, rgb: out };
}

/** Which stored pixel lands at (x, y) of the upright image. */
function sourceOf(orientation: number, x: number, y: number, width: number, height: number): [number, number] {
  switch (orientation) {
    case 2:
      return [width - 1 - x, y];
    case 3:
      return [width - 1 - x, height - 1 - y];
    case 4:
      return [x, height - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [y, height - 1 - x];
    case 7:
      return [width - 1 - y, height - 1 - x];
    default:
      return [width - 1 - y, x];
  }
}
