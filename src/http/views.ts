import { join } from 'node:path';
import { Eta } from 'eta';
import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { LOCALES, negotiateLocale, Translator, type Locale, type Translate, type TranslationVars } from './i18n.js';
import { nationalityOptions, type NationalityOption } from './nationalities.js';
import type { ModelFor } from './view-models.js';
import './request-state.js';

/** The cookie that remembers the language chosen with the switch (`?lang=`). */
export const LANG_COOKIE = 'lang';
const LANG_COOKIE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;
/** Far above the catalogue's size (a few hundred keys per locale). */
const MAX_REMEMBERED_TEXTS = 5000;

export interface AssetUrls {
  /** Public URL of a file under static/, e.g. `app.css` -> `/static/app.css?v=<hash>`. */
  url(name: string): string;
}

export interface ViewsOptions {
  /** The views/ directory; translations are read from `<dir>/locales/{vi,en}.json`. */
  dir: string;
  defaultLocale: Locale;
  /** Keep compiled templates in memory (production); off in development so edits show on reload. */
  cache: boolean;
  /** Versioned asset URLs from the static router; without it assets are linked unversioned. */
  assets?: AssetUrls;
}

/** Where the page was requested from, so the layout can offer the language switch as plain links. */
export interface PageRequest {
  method: string;
  path: string;
  /** The query string without the leading "?". */
  querystring: string;
}

/**
 * The helpers every template gets next to its model (`it.t`, `it.locale`, ...). Named so they cannot be confused with
 * model fields; helpers win over a model field of the same name.
 */
interface TemplateHelpers {
  locale: Locale;
  locales: readonly Locale[];
  t: Translate;
  /** Translation, or `fallback` when the catalogue has no such key. */
  tOr: (key: string, fallback: string, vars?: TranslationVars) => string;
  asset: (name: string) => string;
  /** Link to this page in another language; `basePath` overrides the page (a form re-rendered after a POST). */
  languageUrl: (locale: Locale, basePath?: string) => string | undefined;
  nationalities: () => readonly NationalityOption[];
}

/** Server-side page rendering with eta (escapes every `<%= %>` by default) and the per-app translation catalogue. */
export class Views {
  readonly translator: Translator;
  private readonly eta: Eta;
  /** Per locale, the translations already looked up without variables (most of a page's text). */
  private readonly plainTexts = new Map<Locale, Map<string, string>>();

  constructor(readonly options: ViewsOptions) {
    this.translator = new Translator({ localesDir: join(options.dir, 'locales'), defaultLocale: options.defaultLocale });
    this.eta = new Eta({ views: options.dir, cache: options.cache, cacheFilepaths: options.cache, autoEscape: true });
  }

  render(template: string, model: object, locale: Locale, page?: PageRequest): string {
    return this.eta.render(template, { ...model, ...this.helpers(locale, page) });
  }

  /**
   * Puts `locale`, `t` and `render` on `ctx.state`. `?lang=vi|en` switches the language and remembers it in the `lang`
   * cookie, so the switch works as a plain link without JavaScript.
   */
  middleware(): Middleware {
    return async (ctx, next) => {
      const query = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
      const locale = negotiateLocale({
        query,
        cookie: ctx.cookies.get(LANG_COOKIE),
        acceptLanguage: ctx.get('accept-language') || undefined,
        defaultLocale: this.options.defaultLocale,
      });
      if (query === locale) {
        // Not a secret, but HttpOnly anyway: no script of ours needs it.
        ctx.cookies.set(LANG_COOKIE, locale, {
          maxAge: LANG_COOKIE_MAX_AGE_MS,
          httpOnly: true,
          sameSite: 'lax',
          secure: ctx.secure,
          path: '/',
          signed: false,
          overwrite: true,
        });
      }
      ctx.state.locale = locale;
      ctx.state.t = this.translate(locale);
      ctx.state.render = (template, model, status = 200) => this.respond(ctx, template, model, status);
      await next();
    };
  }

  private respond(ctx: Context, template: string, model: object, status: number): void {
    const locale: Locale = ctx.state.locale;
    const html = this.render(template, model, locale, {
      method: ctx.method,
      path: ctx.path,
      querystring: ctx.querystring,
    });
    ctx.status = status;
    ctx.type = 'html';
    // Pages carry CSRF tokens and personal data: never stored by the browser or a shared cache.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Language', locale);
    ctx.body = html;
  }

  /**
   * The translator for one locale, remembering texts without variables: the catalogue is read once at start-up, so a
   * key always gives the same text, and every page would otherwise ask i18next for its few dozen labels again.
   */
  private translate(locale: Locale): Translate {
    let texts = this.plainTexts.get(locale);
    if (!texts) this.plainTexts.set(locale, (texts = new Map()));
    const known = texts;
    return (key, vars) => {
      if (vars !== undefined) return this.translator.t(locale, key, vars);
      let text = known.get(key);
      if (text !== undefined) return text;
      text = this.translator.t(locale, key);
      // Bounded, in case some caller ever builds keys from request input.
      if (known.size < MAX_REMEMBERED_TEXTS) known.set(key, text);
      return text;
    };
  }

  private helpers(locale: Locale, page: PageRequest | undefined): TemplateHelpers {
    const t = this.translate(locale);
    return {
      locale,
      locales: LOCALES,
      t,
      tOr: (key, fallback, vars) => this.translator.tOr(locale, key, fallback, vars),
      asset: (name) => this.options.assets?.url(name) ?? `/static/${name}`,
      languageUrl: (target, basePath) => languageUrl(target, page, basePath),
      nationalities: () => nationalityOptions(locale, t('login.statelessNationality')),
    };
  }
}

function languageUrl(target: Locale, page: PageRequest | undefined, basePath: string | undefined): string | undefined {
  if (basePath !== undefined) return `${basePath}?lang=${target}`;
  // A link can only repeat a GET: after a POST there is no page URL to switch, unless the template names one.
  if (!page || (page.method !== 'GET' && page.method !== 'HEAD')) return undefined;
  const params = new URLSearchParams(page.querystring);
  params.set('lang', target);
  return `${page.path}?${params.toString()}`;
}

/** Renders `template` as the response; the views middleware must have run. */
export function render<T extends string>(ctx: Context, template: T, model: ModelFor<T>, status?: number): void {
  requireRender(ctx)(template, model, status);
}

function requireRender(ctx: Context | KoaContextWithOIDC): Context['state']['render'] {
  const renderPage: unknown = ctx.state.render;
  if (typeof renderPage !== 'function') {
    throw new Error('views middleware has not run for this request: mount views.middleware() before the provider');
  }
  return ctx.state.render;
}

function clientNameOf(ctx: KoaContextWithOIDC): string | undefined {
  const client = ctx.oidc?.client;
  const name: unknown = client?.clientName;
  return typeof name === 'string' && name !== '' ? name : client?.clientId;
}

/**
 * oidc-provider `features.rpInitiatedLogout.logoutSource`: asks the person to confirm signing out. `form` is the
 * provider's hidden form with its own xsrf value.
 */
export async function renderLogoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  requireRender(ctx)('interaction/logout', { form, clientName: clientNameOf(ctx) });
}

/** oidc-provider `features.rpInitiatedLogout.postLogoutSuccessSource`: confirms the sign-out. */
export async function renderPostLogoutSuccess(ctx: KoaContextWithOIDC): Promise<void> {
  requireRender(ctx)('interaction/logged-out', { clientName: clientNameOf(ctx) });
}
