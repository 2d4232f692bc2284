/**
 * A minimal browser for journey tests: keeps cookies per origin path, follows redirects by hand so a test can stop at
 * the relying party's redirect URI, and fills and submits the HTML forms our pages render.
 */
export interface Page {
  url: string;
  status: number;
  html: string;
  headers: Headers;
}

interface StoredCookie {
  value: string;
  path: string;
}

export class UserAgent {
  private readonly cookies = new Map<string, StoredCookie>();
  /** Every Set-Cookie line received, in order (cookie attribute checks). */
  readonly setCookieLines: string[] = [];

  /**
   * `defaultHeaders` go with every request, redirects included. With `X-Forwarded-Proto: https` the agent also plays
   * the TLS-terminating proxy: https URLs of the loopback server are fetched over plain HTTP, as the proxy forwards them.
   */
  constructor(private readonly defaultHeaders: Record<string, string> = {}) {}

  private throughProxy(url: string): string {
    return this.defaultHeaders['x-forwarded-proto'] === 'https' ? url.replace(/^https:\/\/127\.0\.0\.1:/, 'http://127.0.0.1:') : url;
  }

  /** Follows redirects from `url` until a page is rendered, or until a location starts with `stopAt`. */
  async navigate(url: string, stopAt?: string, init: RequestInit = {}): Promise<Page> {
    let current = url;
    let request: RequestInit = init;
    for (let hop = 0; hop < 20; hop += 1) {
      if (stopAt && current.startsWith(stopAt)) {
        return { url: current, status: 0, html: '', headers: new Headers() };
      }
      const response = await fetch(this.throughProxy(current), { ...request, redirect: 'manual', headers: this.headersFor(current, request.headers) });
      this.store(response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).toString();
        request = {};
        continue;
      }
      return { url: current, status: response.status, html: await response.text(), headers: response.headers };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** One request, redirects not followed (hostile-input suites look at the first answer); cookies kept as usual. */
  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const response = await fetch(this.throughProxy(url), { ...init, redirect: 'manual', headers: this.headersFor(url, init.headers) });
    this.store(response);
    return { url, status: response.status, html: await response.text(), headers: response.headers };
  }

  /** Submits the form whose action contains `actionPart`, with its hidden fields plus `fields`. */
  async submit(page: Page, actionPart: string, fields: Record<string, string>, stopAt?: string): Promise<Page> {
    const form = findForm(page.html, actionPart);
    const body = new URLSearchParams({ ...form.hidden, ...fields });
    const action = new URL(form.action, page.url).toString();
    return this.navigate(action, stopAt, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  private headersFor(url: string, extra?: HeadersInit): Headers {
    const headers = new Headers(extra);
    for (const [name, value] of Object.entries(this.defaultHeaders)) headers.set(name, value);
    const path = new URL(url).pathname;
    const cookie = [...this.cookies.entries()]
      .filter(([, stored]) => path.startsWith(stored.path))
      .map(([name, stored]) => `${name}=${stored.value}`)
      .join('; ');
    if (cookie) headers.set('cookie', cookie);
    headers.set('accept', 'text/html,application/xhtml+xml');
    return headers;
  }

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.setCookieLines.push(line);
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const pathAttribute = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttribute ? pathAttribute.slice(5) : '/';
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }
}

const decodeEntities = (value: string): string =>
  value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export function findForm(html: string, actionPart: string): { action: string; hidden: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((match) => match[0]);
  const form = forms.find((candidate) => {
    const action = /action="([^"]*)"/i.exec(candidate)?.[1] ?? '';
    return decodeEntities(action).includes(actionPart);
  });
  if (!form) throw new Error(`no form with action containing ${actionPart} in page:\n${html.slice(0, 2000)}`);
  const action = decodeEntities(/action="([^"]*)"/i.exec(form)?.[1] ?? '');
  const hidden: Record<string, string> = {};
  for (const input of form.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/i.exec(input[0])?.[1];
    const value = /value="([^"]*)"/i.exec(input[0])?.[1] ?? '';
    if (name) hidden[name] = decodeEntities(value);
  }
  return { action, hidden };
}
