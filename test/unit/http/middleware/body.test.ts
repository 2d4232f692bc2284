import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { parseBody } from '../../../../src/http/middleware/body.js';
import { errorHandler } from '../../../../src/http/middleware/errors.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { listen, type Listening } from '../listen.js';

let app: Listening;

beforeAll(async () => {
  const koa = new Koa();
  koa.use(errorHandler({ logger: createLogger({ level: 'silent' }) }));
  koa.use(parseBody());
  koa.use((ctx) => {
    ctx.body = { received: ctx.request.body ?? null };
  });
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

const post = (body: string, contentType: string): Promise<Response> =>
  fetch(`${app.url}/`, { method: 'POST', body, headers: { 'content-type': contentType, accept: 'application/json' } });

describe('body parser', () => {
  it('reads urlencoded forms, Vietnamese included', async () => {
    const response = await post(new URLSearchParams({ kind: 'citizen', name: 'Nguyễn Văn A' }).toString(), 'application/x-www-form-urlencoded');
    expect(await response.json()).toEqual({ received: { kind: 'citizen', name: 'Nguyễn Văn A' } });
  });

  it('reads JSON', async () => {
    const response = await post('{"a":[1,2]}', 'application/json');
    expect(await response.json()).toEqual({ received: { a: [1, 2] } });
  });

  it('answers 413 payload_too_large above 16 kb', async () => {
    const response = await post(`a=${'x'.repeat(17 * 1024)}`, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('answers 400 bad_request for malformed JSON', async () => {
    const response = await post('{"a":', 'application/json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'bad_request' });
  });

  it('ignores other content types and GET', async () => {
    expect(await (await post('hello', 'text/plain')).json()).toEqual({ received: {} });
    expect(await (await fetch(`${app.url}/`)).json()).toEqual({ received: null });
  });
});
