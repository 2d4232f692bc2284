import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Eta } from 'eta';
import { DEMO_TEXT } from '../../../src/http/demo/demo-text.js';

/**
 * The demo's templates, rendered through a minimal stand-in for views/layouts/main.eta so that these tests depend
 * only on what the layout must provide: `it.pageTitle` and `it.body`.
 */
const views = mkdtempSync(join(tmpdir(), 'vneid-demo-views-'));
mkdirSync(join(views, 'layouts'));
writeFileSync(join(views, 'layouts', 'main.eta'), '<title><%= it.pageTitle %></title><main><%~ it.body %></main>');
cpSync(join(process.cwd(), 'views', 'demo'), join(views, 'demo'), { recursive: true });
const eta = new Eta({ views, cache: false });

afterAll(() => rmSync(views, { recursive: true, force: true }));

const text = { ...DEMO_TEXT };

describe('demo views', () => {
  it('renders the start page inside the layout with a button per level', () => {
    const html = eta.render('demo/index', {
      title: text.title,
      text,
      issuer: 'http://localhost:3000/',
      clientId: 'vneid-demo',
      levels: [
        { level: 1, acr: 'urn:vn:eid:loa:1', href: '/demo/login?level=1', label: text.signInLevel1, hint: text.level1Hint },
        { level: 2, acr: 'urn:vn:eid:loa:2', href: '/demo/login?level=2', label: text.signInLevel2, hint: text.level2Hint },
      ],
    });
    expect(html).toContain(`<title>${text.title}</title>`);
    expect(html).toContain('href="/demo/login?level=1"');
    expect(html).toContain(`>${text.signInLevel2}</a>`);
    expect(html).toContain('acr_values=urn:vn:eid:loa:2');
  });

  it('shows claims and userinfo as escaped JSON, the level outcome and the sign-out link', () => {
    const claims = JSON.stringify({ sub: 'account-1', name: '<script>alert(1)</script>', acr: 'urn:vn:eid:loa:1' }, null, 2);
    const html = eta.render('demo/result', {
      title: text.resultTitle,
      text,
      requested: { level: 2, acr: 'urn:vn:eid:loa:2' },
      achieved: { level: 1, acr: 'urn:vn:eid:loa:1' },
      levelMet: false,
      claimsJson: claims,
      userinfoJson: '{"sub": "account-1"}',
      logoutUrl: 'http://localhost:3000/session/end?id_token_hint=a.b.c&post_logout_redirect_uri=x',
      tryAgainUrl: '/demo/login?level=2',
      homeUrl: '/demo',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain(text.levelNotMet);
    expect(html).toContain('href="http://localhost:3000/session/end?id_token_hint=a.b.c&amp;post_logout_redirect_uri=x"');
    expect(html).toContain('href="/demo/login?level=2"');
  });

  it('shows a provider error with its code, description and explanation', () => {
    const html = eta.render('demo/error', {
      title: text.errorTitle,
      text,
      code: 'unmet_authentication_requirements',
      description: 'level <2> not reached',
      explanation: text['errors.unmet_authentication_requirements'],
      homeUrl: '/demo',
    });
    expect(html).toContain('<code>unmet_authentication_requirements</code>');
    expect(html).toContain('level &lt;2&gt; not reached');
    expect(html).toContain(text['errors.unmet_authentication_requirements']);
    expect(html).toContain('role="alert"');
  });

  it('are translated into Vietnamese and English under demo.* in views/locales', () => {
    type Catalogue = Record<string, unknown>;
    const flatten = (node: Catalogue, prefix = ''): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(node).flatMap(([key, value]) =>
          typeof value === 'object' && value !== null
            ? Object.entries(flatten(value as Catalogue, `${prefix}${key}.`))
            : [[`${prefix}${key}`, value]],
        ),
      );
    const demoOf = (locale: string): Record<string, unknown> => {
      const catalogue = JSON.parse(readFileSync(join('views', 'locales', `${locale}.json`), 'utf8')) as Catalogue;
      return flatten(catalogue.demo as Catalogue);
    };
    expect(demoOf('en')).toEqual(DEMO_TEXT);
    expect(Object.keys(demoOf('vi')).sort()).toEqual(Object.keys(DEMO_TEXT).sort());
  });
});
