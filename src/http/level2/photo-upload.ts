import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { AppError } from '../../domain/errors.js';

/** The form field of the photo (views/level2/photo.eta, static/level2-camera.js). */
export const PHOTO_FIELD = 'photo';

/**
 * Parses the photo form (multipart/form-data) into memory, for the level-2 photo route only (never in front of the
 * provider): one file of at most `maxBytes`, a handful of small text fields (`_csrf`). Nothing touches the disk, so
 * the photo exists only in this request's memory until the flow wipes it after the comparison.
 * Too large -> 413; any other malformed upload (extra files, too many parts, truncated body) -> 400.
 */
export function photoUpload(maxBytes: number): Middleware {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024, fieldNameSize: 32, parts: 6, headerPairs: 20 },
  }).single(PHOTO_FIELD);
  return async (ctx, next) => {
    try {
      // Parsed on its own, so that only the upload's failures are mapped here, never those of the handler after it.
      await parse(ctx, async () => undefined);
    } catch (error) {
      throw uploadRefusal(error);
    }
    try {
      await next();
    } finally {
      // Whatever the handlers after it did (a CSRF refusal, an error), the photo does not outlive the request.
      uploadedPhoto(ctx)?.fill(0);
    }
  };
}

function uploadRefusal(error: unknown): AppError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'LIMIT_FILE_SIZE') return new AppError('payload_too_large');
  return new AppError('bad_request', 'the photo upload could not be read');
}

/** The uploaded photo's bytes (the same memory, not a copy, so wiping them wipes the upload), or undefined. */
export function uploadedPhoto(ctx: Context): Uint8Array | undefined {
  const file = (ctx.request as { file?: { fieldname?: unknown; buffer?: unknown } }).file;
  if (!file || file.fieldname !== PHOTO_FIELD || !Buffer.isBuffer(file.buffer) || file.buffer.length === 0) return undefined;
  return new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
}

/** JPEG or PNG by the file's own signature (what the verifiers accept), whatever the browser declared. */
export function isJpegOrPng(bytes: Uint8Array): boolean {
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const png = bytes.length > 8 && pngSignature.every((byte, index) => bytes[index] === byte);
  return jpeg || png;
}
