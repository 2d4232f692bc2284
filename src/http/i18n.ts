import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInstance, type i18n } from 'i18next';

/** Vietnamese is the default language of every page; English is offered to foreigners and visitors. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

export type TranslationVars = Record<string, string | number>;
export type Translate = (key: string, vars?: TranslationVars) => string;

export interface TranslatorOptions {
  /** Directory holding `vi.json` and `en.json`. */
  localesDir: string;
  defaultLocale: Locale;
}

/**
 * Message catalogue for one app. Each app gets its own i18next instance (never the global one), so tests can build
 * several apps with different catalogues side by side. Files are read once, at construction: a broken catalogue stops
 * start-up instead of showing raw keys to people.
 */
export class Translator {
  private readonly i18n: i18n;

  constructor(readonly options: TranslatorOptions) {
    const resources: Record<string, { translation: Record<string, unknown> }> = {};
    for (const locale of LOCALES) {
      const path = join(options.localesDir, `${locale}.json`);
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(`${path}: a translation file must hold a JSON object`);
      }
      resources[locale] = { translation: parsed as Record<string, unknown> };
    }
    this.i18n = createInstance();
    void this.i18n.init({
      resources,
      lng: options.defaultLocale,
      fallbackLng: options.defaultLocale,
      supportedLngs: [...LOCALES],
      // Resources are in memory, so initialisation can finish synchronously and t() works right away.
      initAsync: false,
      // Keys are plain dotted paths; a colon or a sentence inside a key is not a namespace.
      nsSeparator: false,
      returnNull: false,
      // The templates escape every interpolation; escaping here too would show "&amp;" to people.
      interpolation: { escapeValue: false },
    });
  }

  t(locale: Locale, key: string, vars?: TranslationVars): string {
    return this.i18n.t(key, { ...vars, lng: locale });
  }

  /** Like t(), but shows `fallback` when the catalogue has no such key (e.g. a scope a client invented). */
  tOr(locale: Locale, key: string, fallback: string, vars?: TranslationVars): string {
    return this.i18n.exists(key, { lng: locale }) ? this.t(locale, key, vars) : fallback;
  }

  has(locale: Locale, key: string): boolean {
    return this.i18n.exists(key, { lng: locale, fallbackLng: false });
  }

  /** A translate function bound to one locale, as templates and handlers use it. */
  bind(locale: Locale): Translate {
    return (key, vars) => this.t(locale, key, vars);
  }
}

export interface LocaleSources {
  /** The `lang` query parameter, when the person just used the language switch. */
  query?: string;
  /** The `lang` cookie set by an earlier switch. */
  cookie?: string;
  /** The Accept-Language header, raw. */
  acceptLanguage?: string;
  defaultLocale: Locale;
}

/**
 * Picks the page language: an explicit switch (`?lang=`) wins, then the remembered choice (cookie), then the
 * browser's preference (first supported language by q-value), then the configured default.
 */
export function negotiateLocale(sources: LocaleSources): Locale {
  if (isLocale(sources.query)) return sources.query;
  if (isLocale(sources.cookie)) return sources.cookie;
  return fromAcceptLanguage(sources.acceptLanguage) ?? sources.defaultLocale;
}

function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { primary: range.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.primary).find(isLocale);
}
