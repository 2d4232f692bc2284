import type { Logger } from '../shared/logger.js';
import type { Locale, Translate } from './i18n.js';
import type { ModelFor } from './view-models.js';

/** Renders a page as the response: HTML, `Cache-Control: no-store`, the request's language. */
export type RenderPage = <T extends string>(template: T, model: ModelFor<T>, status?: number) => void;

/**
 * What the web shell's middleware puts on `ctx.state`, typed for every Koa handler in the program. Each field is
 * present once the middleware named beside it has run (see the order in server.ts).
 */
declare module 'koa' {
  interface DefaultState {
    /** request-id.ts */
    requestId: string;
    /** request-logger.ts: a pino child carrying the request id. */
    logger: Logger;
    /** views.ts */
    locale: Locale;
    /** views.ts */
    t: Translate;
    /** views.ts */
    render: RenderPage;
    /** csrf.ts (`csrfToken()`); reading it sets the per-browser cookie on first use. */
    csrfToken: string;
    /** middleware/provider-outage.ts: the provider caught an outage itself and answered 500; it becomes a 503. */
    providerOutage?: boolean;
    /** provider-pages.ts: the OAuth error of a provider refusal, shown on the error page. */
    protocolError?: { error: string; description?: string };
  }
}

export {};
