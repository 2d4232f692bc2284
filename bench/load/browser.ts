import { findForm } from '../../test/support/user-agent.js';
import { toLoopback, type BenchTarget } from '../support/bench-target.js';

/** A page as the browser ended on it: the public URL, status and HTML (empty when it stopped at the callback). */
export interface BrowserPage {
  url: string;
  status: number;
  html: string;
}

/** A server that stops answering fails the sign-in instead of stalling the run. */
export const REQUEST_TIMEOUT_MS = 10_000;

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * The smallest browser that can sign in: a cookie jar, redirects followed by hand (so it can stop at the relying
 * party's redirect URI without requesting it), and HTML form submission with the form's hidden fields (CSRF token).
 * URLs are kept as the server writes them and sent to its loopback address.
 */
export class BenchBrowser {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly target: BenchTarget) {}

  async navigate(url: string, stopAt: string, init: { method?: string; body?: string } = {}): Promise<BrowserPage> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 10; hop += 1) {
      if (current.startsWith(stopAt)) return { url: current, status: 0, html: '' };
      const headers: Record<string, string> = { ...this.target.headers, accept: 'text/html' };
      const cookie = this.cookieHeader(new URL(current).pathname);
      if (cookie) headers.cookie = cookie;
      if (request.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(toLoopback(this.target, current), {
        method: request.method ?? 'GET',
        body: request.body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      this.store(response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).toString();
        request = {};
        continue;
      }
      return { url: current, status: response.status, html: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits the form whose action contains `actionPart`, with its hidden fields plus `fields`. */
  async submit(page: BrowserPage, actionPart: string, fields: Record<string, string>, stopAt: string): Promise<BrowserPage> {
    const form = findForm(page.html, actionPart);
    const body = new URLSearchParams({ ...form.hidden, ...fields }).toString();
    return this.navigate(new URL(form.action, page.url).toString(), stopAt, { method: 'POST', body });
  }

  private cookieHeader(path: string): string {
    const pairs: string[] = [];
    for (const [name, cookie] of this.cookies) if (path.startsWith(cookie.path)) pairs.push(`${name}=${cookie.value}`);
    return pairs.join('; ');
  }

  private store(lines: string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const pathAttribute = attributes.map((attribute) => attribute.trim()).find((attribute) => /^path=/i.test(attribute));
      const expired = value === '' || attributes.some((attribute) => /expires=Thu, 01 Jan 1970/i.test(attribute) || /max-age=0\b/i.test(attribute.trim()));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path: pathAttribute ? pathAttribute.slice(5) : '/' });
    }
  }
}
