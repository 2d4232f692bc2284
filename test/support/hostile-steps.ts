import type { RunningProvider } from './provider-harness.js';
import { echoesUnescaped } from './hostile-values.js';
import type { Page } from './user-agent.js';

/**
 * Steps and checks of the hostile-input suites (issue 6): what "nothing changed" means for an account, what a clear
 * refusal looks like, and the form token a page carries.
 */

/**
 * The stored state of one account, byte for byte (Redis DUMP of each key: the record, its login name, open locks,
 * lifted locks, authenticator, dependants). Equal snapshots mean a request changed nothing the owner could notice.
 */
export async function accountSnapshot(running: RunningProvider, accountId: string, loginKey: string): Promise<string> {
  const { keys, redis } = running.container;
  const stored = [
    keys.account(accountId),
    keys.accountLogin(loginKey),
    keys.lockOpen(accountId),
    keys.lockHistory(accountId),
    keys.totpEnrolment(accountId),
    keys.accountDependants(accountId),
  ];
  const dumps = await Promise.all(stored.map(async (key) => `${key}=${(await redis.dumpBuffer(key))?.toString('base64') ?? '-'}`));
  return dumps.join('\n');
}

/** The `_csrf` hidden field of the first form on the page that has one. */
export function csrfTokenOf(page: Page): string {
  const token = /name="_csrf"\s+value="([^"]+)"/.exec(page.html)?.[1] ?? /value="([^"]+)"\s+name="_csrf"/.exec(page.html)?.[1];
  if (!token) throw new Error(`no form token on ${page.url} (${page.status})`);
  return token;
}

/** A page says what went wrong: a field error, an error summary or alert, or the error page's title and message. */
export function saysWhatWentWrong(page: Page): boolean {
  if (isJson(page)) {
    const body = JSON.parse(page.html) as { code?: unknown };
    return typeof body.code === 'string' && body.code !== '';
  }
  return /class="field-error"|role="alert"|<p class="lead">/.test(page.html);
}

const isJson = (page: Page): boolean => /json/.test(page.headers.get('content-type') ?? '');

/** No header a value could have forged (CRLF injection): no injected cookie, no redirect off the site. */
export function headersUntouched(page: Page): boolean {
  const cookies = page.headers.getSetCookie().join('\n');
  const location = page.headers.get('location') ?? '';
  return !/injected/i.test(cookies) && !/evil\.example/i.test(location);
}

export interface Judged {
  status: number;
  problems: string[];
}

/** A form's designed answers to input it cannot accept. */
export interface FormDesign {
  /** Statuses the form answers with (e.g. 400 re-rendered, 403, 429, or a 303 on to the next step). */
  allowed(status: number): boolean;
  /** A 200 is the same form re-rendered with the problem, so it must say what is wrong. */
  okIsRerender: boolean;
}

/**
 * Judges one answer to a hostile request: never 5xx; a designed status; a refusal (and a re-rendered form) says what
 * is wrong; a redirect stays on this site; no value comes back unescaped; no header was forged.
 */
export function judge(page: Page, reflected: readonly string[], design: FormDesign): Judged {
  const problems: string[] = [];
  if (page.status >= 500) problems.push(`server error ${page.status}`);
  if (!design.allowed(page.status)) problems.push(`status ${page.status} is not the form's designed answer`);
  const mustExplain = page.status >= 400 || (page.status === 200 && design.okIsRerender);
  if (mustExplain && !saysWhatWentWrong(page)) problems.push(`${page.status} without a message`);
  if (page.status >= 300 && page.status < 400) {
    const location = page.headers.get('location') ?? '';
    if (/^[a-z]+:\/\//i.test(location) && !location.startsWith(new URL(page.url).origin)) problems.push(`redirect off the site: ${location}`);
  }
  if (!isJson(page) && echoesUnescaped(page.html, reflected)) problems.push('a value is echoed unescaped');
  if (!headersUntouched(page)) problems.push('a header was forged');
  return { status: page.status, problems };
}
