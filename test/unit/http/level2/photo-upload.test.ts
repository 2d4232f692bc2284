import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Router } from '@koa/router';
import Koa from 'koa';
import { isJpegOrPng, photoUpload, uploadedPhoto } from '../../../../src/http/level2/photo-upload.js';
import { errorHandler } from '../../../../src/http/middleware/errors.js';
import { requestId } from '../../../../src/http/middleware/request-id.js';
import { requestLogger } from '../../../../src/http/middleware/request-logger.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { listen, type Listening } from '../listen.js';

/**
 * The photo upload of the level-2 page: memory only, one file, size-limited, and the photo neither logged (request
 * logger, error handler) nor left in memory after the request.
 */

const LIMIT = 64 * 1024;
const lines: string[] = [];
const logger = createLogger({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
/** What the handler saw, and the same memory after the response (to see it wiped). */
const seen: { bytes?: Uint8Array; copy?: Uint8Array; fields?: unknown } = {};

let app: Listening;

beforeAll(async () => {
  const koa = new Koa();
  koa.use(requestId());
  koa.use(requestLogger(logger));
  koa.use(errorHandler({ logger }));
  const router = new Router();
  router.post('/photo', photoUpload(LIMIT), (ctx) => {
    const bytes = uploadedPhoto(ctx);
    seen.bytes = bytes;
    seen.copy = bytes ? new Uint8Array(bytes) : undefined;
    seen.fields = { ...(ctx.request.body as object) };
    ctx.state.logger.info({ event: 'handled', size: bytes?.length ?? 0 }, 'handled');
    if (ctx.query.fail === '1') throw new Error('handler failed after the upload');
    ctx.body = { size: bytes?.length ?? 0, image: bytes ? isJpegOrPng(bytes) : false };
  });
  koa.use(router.routes());
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

function photo(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  for (let index = 4; index < size; index += 1) bytes[index] = (index * 89 + 7) % 253;
  return bytes;
}

function post(body: FormData, query = ''): Promise<Response> {
  return fetch(`${app.url}/photo${query}`, { method: 'POST', body, headers: { accept: 'text/html' } });
}

const form = (file: Uint8Array | undefined, extra: Record<string, string> = { _csrf: 'token' }): FormData => {
  const data = new FormData();
  for (const [name, value] of Object.entries(extra)) data.append(name, value);
  if (file) data.append('photo', new Blob([Buffer.from(file)], { type: 'image/jpeg' }), 'me.jpg');
  return data;
};

describe('the photo upload', () => {
  it('gives the handler the file and the small fields, then wipes the file once the response is sent', async () => {
    const sent = photo(20_000);
    const response = await post(form(sent));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ size: 20_000, image: true });
    expect(Buffer.from(seen.copy ?? []).equals(Buffer.from(sent))).toBe(true);
    expect(seen.fields).toEqual({ _csrf: 'token' });
    expect(seen.bytes?.every((byte) => byte === 0)).toBe(true);
  });

  it('wipes the file when the handler fails too', async () => {
    const response = await post(form(photo(5_000)), '?fail=1');
    expect(response.status).toBe(500);
    expect(seen.bytes?.every((byte) => byte === 0)).toBe(true);
  });

  it('refuses a file over the limit with 413, and a second file or an unexpected file field with 400', async () => {
    expect((await post(form(photo(LIMIT + 1)))).status).toBe(413);
    const twoFiles = form(photo(100));
    twoFiles.append('photo', new Blob([Buffer.from(photo(100))]), 'second.jpg');
    expect((await post(twoFiles)).status).toBe(400);
    const otherField = new FormData();
    otherField.append('document', new Blob([Buffer.from(photo(100))]), 'id.jpg');
    expect((await post(otherField)).status).toBe(400);
  });

  it('tells a JPEG or PNG by its signature, whatever the declared type', () => {
    expect(isJpegOrPng(photo(16))).toBe(true);
    expect(isJpegOrPng(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(true);
    expect(isJpegOrPng(new TextEncoder().encode('GIF89a....'))).toBe(false);
  });

  it('never writes any of the photo to the log', async () => {
    const sent = photo(30_000);
    await post(form(sent));
    await post(form(sent), '?fail=1');
    const body = Buffer.from(sent.subarray(200, 232));
    const text = lines.join('');
    expect(text).toContain('"route":"/photo"');
    for (const needle of [body.toString('latin1'), body.toString('base64'), body.toString('hex')]) expect(text.includes(needle)).toBe(false);
  });
});
