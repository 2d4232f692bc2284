import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Router } from '@koa/router';
import type { AssetUrls } from './views.js';

/** Only these kinds of files are served; anything else in static/ stays private. */
const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  // Small first-party scripts (progressive enhancement only, e.g. level2-camera.js); CSP allows script-src 'self'.
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A versioned URL never changes content, so the browser may keep it for a year without asking again. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** An unversioned or outdated URL is revalidated (cheap, thanks to the ETag). */
const REVALIDATE = 'public, no-cache';

interface StaticFile {
  body: Buffer;
  type: string;
  /** Content hash; the ETag and the `?v=` of versioned URLs. */
  version: string;
}

export interface StaticAssetsOptions {
  /** The static/ directory (flat: sub-directories are not served). */
  dir: string;
  /** URL prefix, `/static` by default. */
  prefix?: string;
  /** Keep files in memory (production). Off in development, so a CSS edit shows on reload. */
  cache: boolean;
}

/**
 * The files under static/ (our CSS; no CDN), read at start-up so a missing file fails fast. Hands out versioned
 * URLs (`/static/app.css?v=<hash>`) to the templates: each deploy changes the URL of what changed, so a long cache
 * never serves a stale stylesheet.
 */
export class StaticAssets implements AssetUrls {
  readonly prefix: string;
  private files: Map<string, StaticFile>;

  constructor(readonly options: StaticAssetsOptions) {
    this.prefix = options.prefix ?? '/static';
    this.files = loadFiles(options.dir);
  }

  url(name: string): string {
    const file = this.get(name);
    return file ? `${this.prefix}/${name}?v=${file.version}` : `${this.prefix}/${name}`;
  }

  get(name: string): StaticFile | undefined {
    if (!this.options.cache) this.files = loadFiles(this.options.dir);
    return this.files.get(name);
  }
}

function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name).toLowerCase()];
    const path = join(dir, name);
    if (!type || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    files.set(name, { body, type, version });
  }
  return files;
}

/** GET/HEAD `<prefix>/:file` with a strong ETag (304 on If-None-Match) and a long cache for versioned URLs. */
export function staticRouter(assets: StaticAssets): Router {
  const router = new Router({ prefix: assets.prefix });
  router.get('/:file', (ctx) => {
    const name = ctx.params.file ?? '';
    const file = assets.get(name);
    if (!file) return; // falls through to the 404 page
    ctx.set('Cache-Control', ctx.query.v === file.version ? IMMUTABLE : REVALIDATE);
    ctx.etag = file.version;
    ctx.type = file.type;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
  });
  return router;
}
