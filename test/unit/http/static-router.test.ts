import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { StaticAssets, staticRouter } from '../../../src/http/static-router.js';
import { listen, type Listening } from './listen.js';

const dir = mkdtempSync(join(tmpdir(), 'vneid-static-'));
writeFileSync(join(dir, 'app.css'), 'body { color: #111; }\n');
writeFileSync(join(dir, 'secret.env'), 'KEY=1\n');

const assets = new StaticAssets({ dir, cache: true });
let app: Listening;

beforeAll(async () => {
  const koa = new Koa();
  koa.use(staticRouter(assets).routes());
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('static files', () => {
  it('links a versioned URL, served with a year-long immutable cache and a strong ETag', async () => {
    const url = assets.url('app.css');
    expect(url).toMatch(/^\/static\/app\.css\?v=[A-Za-z0-9_-]{16}$/);
    const response = await fetch(`${app.url}${url}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{16}"$/);
    expect(await response.text()).toBe('body { color: #111; }\n');
  });

  it('answers 304 when the browser already has the file', async () => {
    const first = await fetch(`${app.url}/static/app.css`);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    // As a browser revalidating from its cache sends it (fetch() would otherwise add Cache-Control: no-cache).
    const again = await fetch(`${app.url}/static/app.css`, {
      headers: { 'if-none-match': first.headers.get('etag') ?? '', 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('serves only known file types and nothing outside the folder', async () => {
    expect((await fetch(`${app.url}/static/secret.env`)).status).toBe(404);
    expect((await fetch(`${app.url}/static/missing.css`)).status).toBe(404);
    expect((await fetch(`${app.url}/static/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/static/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  });

  it('ships the real stylesheet with focus styles and no external resources', () => {
    const css = readFileSync(join(process.cwd(), 'static', 'app.css'), 'utf8');
    expect(new StaticAssets({ dir: join(process.cwd(), 'static'), cache: true }).url('app.css')).toMatch(/\?v=/);
    expect(css).toContain(':focus-visible');
    expect(css).not.toMatch(/url\(|@import|https?:\/\//);
  });
});
